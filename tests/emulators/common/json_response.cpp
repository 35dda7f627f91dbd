#include "json_response.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace aa::emulator {

Response json_response(unsigned status, const boost::json::value& body) {
    return Response::text(status, boost::json::serialize(body), "application/json; charset=utf-8");
}

Response json_error(unsigned status, std::string_view message) {
    return json_response(status, boost::json::object{{"error", message}});
}

std::optional<boost::json::value> parse_json(std::string_view text, std::string& error) {
    boost::system::error_code code;
    auto value = boost::json::parse(text, code);
    if (code) {
        error = code.message();
        return std::nullopt;
    }
    return value;
}

}  // namespace aa::emulator
