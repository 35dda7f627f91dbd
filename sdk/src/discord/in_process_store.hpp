// The rate-limit state of one process. Private to the SDK; the Redis store
// also uses it while Redis is unreachable.
#pragma once

#include <deque>
#include <map>
#include <mutex>

#include "aa/discord.hpp"

namespace aa::discord {

/// How long a request that learns a bucket holds the right to be the only
/// one in flight; longer than any request may take.
inline constexpr std::chrono::milliseconds kProbeTimeToLive{60000};
/// How often a request waiting for another's probe asks again.
inline constexpr std::chrono::milliseconds kProbePoll{25};

/// Permit::held as both stores write it: "<probe key>\n<in-flight key>",
/// either part empty.
std::string make_held(const std::string& probe, const std::string& in_flight);
std::pair<std::string, std::string> split_held(const std::string& held);

class InProcessStore final : public RateLimitStore {
 public:
  explicit InProcessStore(int global_limit_per_second) : global_limit_(global_limit_per_second) {}

  Permit acquire(const std::string& route, const std::string& major, std::int64_t now_ms) override;
  void record(const std::string& held, const std::string& route, const std::string& major, const std::string& bucket,
              std::optional<int> remaining, std::chrono::milliseconds reset_after, std::int64_t now_ms) override;
  void record_429(const std::string& held, const std::string& route, const std::string& major,
                  const std::string& bucket, bool global, bool shared, std::chrono::milliseconds retry_after,
                  std::int64_t now_ms) override;
  void release(const std::string& held) override;
  std::optional<std::string> cache_get(const std::string& key, std::int64_t now_ms) override;
  void cache_put(const std::string& key, const std::string& value, std::chrono::seconds max_age,
                 std::int64_t now_ms) override;
  void cache_erase(const std::string& key) override;
  bool cache_add(const std::string& key, const std::string& value, std::chrono::seconds max_age,
                 std::int64_t now_ms) override;

 private:
  struct BucketState {
    int remaining = 0;
    std::int64_t reset_at_ms = 0;
  };

  std::int64_t take_global_slot(std::int64_t now_ms);
  void end_request(const std::string& held);

  std::mutex mutex_;
  int global_limit_;
  std::int64_t global_blocked_until_ms_ = 0;
  std::deque<std::int64_t> global_sent_ms_;  ///< Send times within the last second.
  /// Route -> bucket; "" for routes with only the global limit; absent while unknown.
  std::map<std::string, std::string> route_buckets_;
  std::map<std::string, BucketState> buckets_;  ///< "<bucket>:<major>"
  std::map<std::string, int> in_flight_;        ///< "<bucket>:<major>" -> requests without an answer
  std::map<std::string, std::int64_t> probes_;  ///< Probe key -> expiry.
  std::map<std::string, std::pair<std::string, std::int64_t>> cache_;  ///< Key -> value, expiry.
};

}  // namespace aa::discord
