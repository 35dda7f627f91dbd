// The SSO callback's hand-over to registration (see registration.cpp).
#pragma once

#include "aa/http.hpp"
#include "aa/models.hpp"

namespace aa::core {

class App;
class CoreRequest;

/// registration.verify_email.
bool verify_email_enabled(App& app);

/// Answers the SSO login of an inactive user: a pending registration goes
/// on at the register page; any other inactive account is refused.
Response continue_inactive_login(CoreRequest& request, const User& user);

}  // namespace aa::core
