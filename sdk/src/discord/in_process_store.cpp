#include "discord/in_process_store.hpp"

#include <algorithm>

namespace aa::discord {
namespace {

std::string bucket_key(const std::string& bucket, const std::string& major) { return bucket + ":" + major; }

}  // namespace

std::string make_held(const std::string& probe, const std::string& in_flight) { return probe + "\n" + in_flight; }

std::pair<std::string, std::string> split_held(const std::string& held) {
  auto newline = held.find('\n');
  if (newline == std::string::npos) return {held, {}};
  return {held.substr(0, newline), held.substr(newline + 1)};
}

std::shared_ptr<RateLimitStore> make_in_process_store(int global_limit_per_second) {
  return std::make_shared<InProcessStore>(global_limit_per_second);
}

// Returns 0 after taking a slot, else the wait until the oldest send of the
// last second leaves the window. A sliding window keeps every second-long
// span, however Discord aligns its own, within the limit.
std::int64_t InProcessStore::take_global_slot(std::int64_t now_ms) {
  while (!global_sent_ms_.empty() && global_sent_ms_.front() <= now_ms - 1000) global_sent_ms_.pop_front();
  if (static_cast<int>(global_sent_ms_.size()) >= global_limit_) {
    return std::max<std::int64_t>(1, global_sent_ms_.front() + 1000 - now_ms);
  }
  global_sent_ms_.push_back(now_ms);
  return 0;
}

Permit InProcessStore::acquire(const std::string& route, const std::string& major, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (global_blocked_until_ms_ > now_ms) return Permit{std::chrono::milliseconds(global_blocked_until_ms_ - now_ms), {}};

  // The bucket first, so that a request its bucket holds back takes no
  // global slot.
  std::string probe, counted;
  BucketState* state = nullptr;
  auto route_bucket = route_buckets_.find(route);
  if (route_bucket == route_buckets_.end()) {
    probe = "route:" + route + ":" + major;
  } else if (!route_bucket->second.empty()) {
    counted = bucket_key(route_bucket->second, major);
    auto found = buckets_.find(counted);
    if (found != buckets_.end() && found->second.reset_at_ms > now_ms) {
      if (found->second.remaining <= 0) return Permit{std::chrono::milliseconds(found->second.reset_at_ms - now_ms), {}};
      state = &found->second;
    } else {
      probe = "bucket:" + counted;
    }
  }

  if (!probe.empty()) {
    auto holder = probes_.find(probe);
    if (holder != probes_.end() && holder->second > now_ms) return Permit{kProbePoll, {}};
  }
  if (auto wait = take_global_slot(now_ms)) return Permit{std::chrono::milliseconds(wait), {}};

  if (state) --state->remaining;
  if (!probe.empty()) probes_[probe] = now_ms + kProbeTimeToLive.count();
  if (!counted.empty()) ++in_flight_[counted];
  return Permit{std::chrono::milliseconds(0), make_held(probe, counted)};
}

void InProcessStore::end_request(const std::string& held) {
  auto [probe, counted] = split_held(held);
  if (!probe.empty()) probes_.erase(probe);
  if (counted.empty()) return;
  auto found = in_flight_.find(counted);
  if (found != in_flight_.end() && --found->second <= 0) in_flight_.erase(found);
}

void InProcessStore::record(const std::string& held, const std::string& route, const std::string& major,
                            const std::string& bucket, std::optional<int> remaining,
                            std::chrono::milliseconds reset_after, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  end_request(held);
  route_buckets_[route] = bucket;
  if (bucket.empty() || !remaining) return;

  // Requests still in flight may not be in Discord's count yet. Responses of
  // one window may arrive in any order, so the lowest count and the latest
  // reset win.
  auto key = bucket_key(bucket, major);
  auto in_flight = in_flight_.count(key) ? in_flight_.at(key) : 0;
  auto allowed = *remaining - in_flight;
  auto reset_at = now_ms + reset_after.count();
  auto& state = buckets_[key];
  if (state.reset_at_ms > now_ms) {
    state.remaining = std::min(state.remaining, allowed);
    state.reset_at_ms = std::max(state.reset_at_ms, reset_at);
  } else {
    state = BucketState{allowed, reset_at};
  }
}

void InProcessStore::record_429(const std::string& held, const std::string& route, const std::string& major,
                                const std::string& bucket, bool global, bool shared,
                                std::chrono::milliseconds retry_after, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  end_request(held);
  if (global) {
    global_blocked_until_ms_ = std::max(global_blocked_until_ms_, now_ms + retry_after.count());
    return;
  }
  if (shared) return;

  // A 429 without a bucket header still limits this route, so the route
  // gets a bucket of its own until Discord names one.
  auto name = bucket.empty() ? "route:" + route : bucket;
  route_buckets_[route] = name;
  buckets_[bucket_key(name, major)] = BucketState{0, now_ms + retry_after.count()};
}

void InProcessStore::release(const std::string& held) {
  std::lock_guard lock(mutex_);
  end_request(held);
}

std::optional<std::string> InProcessStore::cache_get(const std::string& key, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto found = cache_.find(key);
  if (found == cache_.end() || found->second.second <= now_ms) return std::nullopt;
  return found->second.first;
}

void InProcessStore::cache_put(const std::string& key, const std::string& value, std::chrono::seconds max_age,
                               std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  cache_[key] = {value, now_ms + std::chrono::duration_cast<std::chrono::milliseconds>(max_age).count()};
}

void InProcessStore::cache_erase(const std::string& key) {
  std::lock_guard lock(mutex_);
  cache_.erase(key);
}

bool InProcessStore::cache_add(const std::string& key, const std::string& value, std::chrono::seconds max_age,
                               std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto found = cache_.find(key);
  if (found != cache_.end() && found->second.second > now_ms) return false;
  cache_[key] = {value, now_ms + std::chrono::duration_cast<std::chrono::milliseconds>(max_age).count()};
  return true;
}

}  // namespace aa::discord
