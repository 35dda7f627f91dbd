#include "auth/login_throttle.hpp"

#include <algorithm>
#include <cctype>

namespace aa::core {
namespace {

// Usernames are compared as typed, but a case change must not reset the count.
std::string fold(const std::string& username) {
  std::string folded = username;
  std::transform(folded.begin(), folded.end(), folded.begin(), [](unsigned char c) { return std::tolower(c); });
  return folded;
}

}  // namespace

LoginThrottle::LoginThrottle(LoginThrottleOptions options) : options_(options) {}

void LoginThrottle::prune(std::deque<Clock::time_point>& failures, Clock::time_point now) const {
  while (!failures.empty() && now - failures.front() >= options_.window) failures.pop_front();
}

std::optional<std::chrono::seconds> LoginThrottle::wait_for(std::deque<Clock::time_point>& failures, int limit,
                                                            Clock::time_point now) const {
  prune(failures, now);
  if (static_cast<int>(failures.size()) < limit) return std::nullopt;
  auto until = failures.front() + options_.window;
  return std::chrono::ceil<std::chrono::seconds>(until - now);
}

std::optional<std::chrono::seconds> LoginThrottle::blocked_for(const std::string& username,
                                                               const std::string& address) {
  std::lock_guard lock(mutex_);
  auto now = Clock::now();
  auto by_user = wait_for(by_username_[fold(username)], options_.max_failures_per_username, now);
  auto by_address = wait_for(by_address_[address], options_.max_failures_per_address, now);
  if (by_user && by_address) return std::max(*by_user, *by_address);
  return by_user ? by_user : by_address;
}

void LoginThrottle::record_failure(const std::string& username, const std::string& address) {
  std::lock_guard lock(mutex_);
  auto now = Clock::now();
  by_username_[fold(username)].push_back(now);
  by_address_[address].push_back(now);

  // Drop keys whose failures have all expired, so the maps stay small.
  for (auto* map : {&by_username_, &by_address_}) {
    for (auto it = map->begin(); it != map->end();) {
      prune(it->second, now);
      it = it->second.empty() ? map->erase(it) : std::next(it);
    }
  }
}

void LoginThrottle::record_success(const std::string& username) {
  std::lock_guard lock(mutex_);
  by_username_.erase(fold(username));
}

LoginThrottle::CheckSlot::CheckSlot(LoginThrottle& throttle) : throttle_(throttle) {
  std::unique_lock lock(throttle_.mutex_);
  throttle_.slot_freed_.wait(lock, [&] { return throttle_.running_checks_ < throttle_.options_.max_concurrent_checks; });
  ++throttle_.running_checks_;
}

LoginThrottle::CheckSlot::~CheckSlot() {
  {
    std::lock_guard lock(throttle_.mutex_);
    --throttle_.running_checks_;
  }
  throttle_.slot_freed_.notify_one();
}

}  // namespace aa::core
