#include "http_message.hpp"

#include "form_fields.hpp"

#include <algorithm>
#include <cctype>

namespace aa::emulator {

std::string Request::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) {
            return value;
        }
    }
    return {};
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    auto fields = parse_form_fields(query);
    if (!fields) {
        return std::nullopt;
    }
    auto found = fields->find(std::string(name));
    if (found == fields->end()) {
        return std::nullopt;
    }
    return found->second;
}

void Response::set_header(std::string name, std::string value) {
    for (auto& [key, existing] : headers) {
        if (iequals(key, name)) {
            existing = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
}

std::string Response::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) {
            return value;
        }
    }
    return {};
}

Response Response::text(unsigned status, std::string body, std::string content_type) {
    Response response;
    response.status = status;
    response.body = std::move(body);
    response.set_header("Content-Type", std::move(content_type));
    return response;
}

Response Response::dropped() {
    Response response;
    response.drop_connection = true;
    return response;
}

std::string_view reason_phrase(unsigned status) {
    switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 204: return "No Content";
        case 302: return "Found";
        case 304: return "Not Modified";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 413: return "Payload Too Large";
        case 415: return "Unsupported Media Type";
        case 420: return "Enhance Your Calm";
        case 422: return "Unprocessable Entity";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        default: return "";
    }
}

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

bool is_loopback_address(std::string_view address) {
    if (address == "::1") {
        return true;
    }
    constexpr std::string_view mapped_prefix = "::ffff:";
    if (address.substr(0, mapped_prefix.size()) == mapped_prefix) {
        address.remove_prefix(mapped_prefix.size());
    }
    return address.substr(0, 4) == "127.";
}

}  // namespace aa::emulator
