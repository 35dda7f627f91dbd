// Limits password login attempts. Failed attempts are counted per username
// and per client address within a window; past the limit, further attempts
// are rejected without checking the password until the window moves on. The
// number of password hash checks running at once is capped too, because each
// Argon2id check takes 64 MiB of memory.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace aa::core {

struct LoginThrottleOptions {
  int max_failures_per_username = 5;
  int max_failures_per_address = 20;
  std::chrono::seconds window{300};
  int max_concurrent_checks = 2;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottleOptions options = {});

  /// How long until `username` may try again from `address`; nothing when
  /// an attempt is allowed now.
  std::optional<std::chrono::seconds> blocked_for(const std::string& username, const std::string& address);
  void record_failure(const std::string& username, const std::string& address);
  /// Forgets the username's failures after a successful login.
  void record_success(const std::string& username);

  /// Holds one of the limited password check slots for its lifetime.
  class CheckSlot {
   public:
    explicit CheckSlot(LoginThrottle& throttle);
    ~CheckSlot();
    CheckSlot(const CheckSlot&) = delete;
    CheckSlot& operator=(const CheckSlot&) = delete;

   private:
    LoginThrottle& throttle_;
  };

 private:
  using Clock = std::chrono::steady_clock;
  void prune(std::deque<Clock::time_point>& failures, Clock::time_point now) const;
  std::optional<std::chrono::seconds> wait_for(std::deque<Clock::time_point>& failures, int limit,
                                               Clock::time_point now) const;

  LoginThrottleOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::deque<Clock::time_point>> by_username_;
  std::map<std::string, std::deque<Clock::time_point>> by_address_;
  std::condition_variable slot_freed_;
  int running_checks_ = 0;
};

}  // namespace aa::core
