// The shared page layout: top bar, sidebar from menu hooks, one-time
// messages, language picker. Pages render their own template first; the
// layout wraps the result.
#pragma once

#include <string_view>

#include "aa/http.hpp"
#include "aa/template.hpp"

namespace aa::core {

class CoreRequest;

/// Renders `template_name` with `data` inside the layout. The page data's
/// TITLE becomes the document title; its EXTRA_CSS and EXTRA_JS rows (each
/// with a URL) are added to the head and the end of the body, where a
/// relative URL is taken as a path under the static URL.
Response render_page(CoreRequest& request, std::string_view template_name, const TemplateData& data, int status);

/// The standard error page for `status` (400, 403, 404, 405, 500). It shows
/// no internals; `detail` is a short message for the user, already translated.
Response render_error(CoreRequest& request, int status, std::string_view detail = {});

/// A minimal error page that needs neither templates nor the database, for
/// when rendering the real one fails.
Response fallback_error(int status);

}  // namespace aa::core
