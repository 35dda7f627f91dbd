// Building blocks of the test control API under /_emulator/ that every
// emulator serves: loopback-only access, JSON object bodies, and the fault
// and request-count routes whose shape is the same in each emulator.
#pragma once

#include "json_response.hpp"
#include "router.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace aa::emulator {

// Wraps a handler so that any peer but a loopback address gets a JSON 403.
Handler loopback_only(Handler handler);

// Parses the body as a JSON object. Returns nullopt and sets error_response
// to a JSON 400 when the body is not valid JSON or not an object.
std::optional<boost::json::object> read_control_body(const Request& request, Response& error_response);

// Adds GET, POST and DELETE /_emulator/faults, loopback only. Faults needs
// apply(object) returning an error message ("" on success), to_json() and
// clear().
template <class Faults>
void add_fault_routes(Router& router, Faults& faults) {
    router.add("GET", "/_emulator/faults", "_emulator_faults",
               loopback_only([&faults](Request&) { return json_response(200, faults.to_json()); }));
    router.add("POST", "/_emulator/faults", "_emulator_faults", loopback_only([&faults](Request& request) {
                   Response error_response;
                   auto body = read_control_body(request, error_response);
                   if (!body) {
                       return error_response;
                   }
                   auto error = faults.apply(*body);
                   if (!error.empty()) {
                       return json_error(400, error);
                   }
                   return json_response(200, faults.to_json());
               }));
    router.add("DELETE", "/_emulator/faults", "_emulator_faults", loopback_only([&faults](Request&) {
                   faults.clear();
                   return json_response(200, faults.to_json());
               }));
}

// Adds GET and DELETE /_emulator/requests, loopback only. Requests needs
// to_json() and clear().
template <class Requests>
void add_request_count_routes(Router& router, Requests& requests) {
    router.add("GET", "/_emulator/requests", "_emulator_requests",
               loopback_only([&requests](Request&) { return json_response(200, requests.to_json()); }));
    router.add("DELETE", "/_emulator/requests", "_emulator_requests", loopback_only([&requests](Request&) {
                   requests.clear();
                   return json_response(200, requests.to_json());
               }));
}

}  // namespace aa::emulator
