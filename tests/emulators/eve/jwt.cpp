#include "jwt.hpp"

#include "base64.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace aa::eve {

namespace {

std::optional<boost::json::object> decode_json_segment(std::string_view segment,
                                                       std::string_view what, std::string& error) {
    auto bytes = base64url_decode(segment);
    if (!bytes) {
        error = std::string(what) + " is not base64url";
        return std::nullopt;
    }

    boost::system::error_code code;
    auto value = boost::json::parse(*bytes, code);
    if (code || !value.is_object()) {
        error = std::string(what) + " is not a JSON object";
        return std::nullopt;
    }
    return value.as_object();
}

}  // namespace

std::string sign_jwt(const boost::json::object& header, const boost::json::object& payload,
                     const RsaKey& key) {
    auto signing_input = base64url_encode(boost::json::serialize(header)) + "." +
                         base64url_encode(boost::json::serialize(payload));
    auto signature = key.sign_rs256(signing_input);
    return signing_input + "." + base64url_encode(signature);
}

std::optional<DecodedJwt> decode_jwt(std::string_view token, std::string& error) {
    auto first_dot = token.find('.');
    auto second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos ||
        token.find('.', second_dot + 1) != std::string_view::npos) {
        error = "token does not have three dot-separated parts";
        return std::nullopt;
    }

    DecodedJwt jwt;
    auto header = decode_json_segment(token.substr(0, first_dot), "token header", error);
    if (!header) {
        return std::nullopt;
    }
    auto payload = decode_json_segment(token.substr(first_dot + 1, second_dot - first_dot - 1),
                                       "token payload", error);
    if (!payload) {
        return std::nullopt;
    }
    auto signature = base64url_decode(token.substr(second_dot + 1));
    if (!signature) {
        error = "token signature is not base64url";
        return std::nullopt;
    }

    jwt.header = std::move(*header);
    jwt.payload = std::move(*payload);
    jwt.signing_input = std::string(token.substr(0, second_dot));
    jwt.signature = std::move(*signature);
    return jwt;
}

}  // namespace aa::eve
