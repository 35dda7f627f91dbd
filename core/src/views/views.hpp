// Core views. Each takes the request as the SDK defines it; core views cast
// it to CoreRequest for host internals (sessions, the SSO client).
#pragma once

#include "aa/http.hpp"

namespace aa::core::views {

Response index(Request& request);
Response login_page(Request& request);
Response password_login(Request& request);
Response logout(Request& request);
Response set_language(Request& request);

Response sso_login(Request& request);
Response sso_callback(Request& request);

Response dashboard(Request& request);

Response add_character(Request& request);
Response change_main_page(Request& request);
Response change_main_sso(Request& request);

Response register_page(Request& request);
Response registration_complete(Request& request);
Response activate_page(Request& request);
Response activation_complete(Request& request);

Response token_management(Request& request);
Response token_delete(Request& request);
Response token_refresh(Request& request);

Response notification_list(Request& request);
Response notification_view(Request& request);
Response remove_notification(Request& request);
Response mark_all_read(Request& request);
Response delete_all_read(Request& request);
Response user_notifications_count(Request& request);

}  // namespace aa::core::views
