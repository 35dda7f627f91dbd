#include "in_process_request.hpp"

#include <boost/json/parse.hpp>

#include <cctype>

namespace aa::emulator {

Request make_request(const std::string& method, const std::string& target, const std::string& body,
                     const std::map<std::string, std::string>& headers, const std::string& remote_address) {
    Request request;
    request.method = method;
    request.target = target;

    auto question = target.find('?');
    request.path = target.substr(0, question);
    request.query = question == std::string::npos ? "" : target.substr(question + 1);

    for (const auto& [name, value] : headers) {
        std::string lower = name;
        for (auto& c : lower) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        request.headers[lower] = value;
    }

    request.body = body;
    request.remote_address = remote_address;
    return request;
}

boost::json::value parse_body(const Response& response) { return boost::json::parse(response.body); }

}  // namespace aa::emulator
