// The admin site's views under /admin/. Every route requires a staff user
// (Access::staff); each view then checks the model's permissions.
#pragma once

#include "aa/http.hpp"
#include "admin/admin_site.hpp"

namespace aa::core::admin_views {

Response index(Request& request, AdminSite& site);
/// GET: the list page. POST: a bulk action on the selected rows.
Response changelist(Request& request, AdminSite& site);
Response add(Request& request, AdminSite& site);
Response change(Request& request, AdminSite& site);
Response remove(Request& request, AdminSite& site);
Response history(Request& request, AdminSite& site);

}  // namespace aa::core::admin_views
