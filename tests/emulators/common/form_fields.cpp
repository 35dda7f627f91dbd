#include "form_fields.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace aa::emulator {

std::optional<FormFields> parse_form_fields(std::string_view encoded) {
    // Validate first: the string constructor below throws on bad input.
    if (!boost::urls::parse_query(encoded)) {
        return std::nullopt;
    }

    // NOTE: libboost_url 1.81 declares params_view(params_view const&,
    // encoding_opts) but does not export it (undefined reference at link
    // time), so the view is built from the string again.
    boost::urls::encoding_opts options;
    options.space_as_plus = true;
    boost::urls::params_view params(encoded, options);

    FormFields fields;
    for (auto param : params) {
        fields.emplace(param.key, param.has_value ? param.value : std::string());
    }
    return fields;
}

std::string encode_query_value(std::string_view value) {
    return boost::urls::encode(value, boost::urls::unreserved_chars);
}

}  // namespace aa::emulator
