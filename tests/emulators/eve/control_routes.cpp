// Test control API under /_emulator/: faults, character changes, reset and
// request counts. Only loopback peers may use it.
#include "emulator.hpp"

#include "json_response.hpp"

#include <boost/json/array.hpp>

#include <charconv>

namespace aa::eve {

using aa::emulator::json_error;
using aa::emulator::json_response;
using aa::emulator::Request;
using aa::emulator::Response;

namespace {

boost::json::object character_summary(const Character& character) {
    boost::json::object summary{
        {"character_id", character.id},
        {"name", character.name},
        {"owner_hash", character.owner_hash},
        {"corporation_id", character.corporation_id},
    };
    summary["alliance_id"] = character.alliance_id ? boost::json::value(*character.alliance_id) : nullptr;
    summary["faction_id"] = character.faction_id ? boost::json::value(*character.faction_id) : nullptr;
    return summary;
}

// Parses the body as a JSON object; returns nullopt and an error response
// otherwise.
std::optional<boost::json::object> read_object(const Request& request, Response& error_response) {
    std::string error;
    auto value = aa::emulator::parse_json(request.body, error);
    if (!value) {
        error_response = json_error(400, "body is not valid JSON: " + error);
        return std::nullopt;
    }
    if (!value->is_object()) {
        error_response = json_error(400, "body must be a JSON object");
        return std::nullopt;
    }
    return value->as_object();
}

Response post_faults(Emulator& emulator, Request& request) {
    Response error_response;
    auto body = read_object(request, error_response);
    if (!body) {
        return error_response;
    }
    auto error = emulator.faults.apply(*body);
    if (!error.empty()) {
        return json_error(400, error);
    }
    return json_response(200, emulator.faults.to_json());
}

std::optional<long long> character_id_param(const Request& request) {
    const auto& text = request.path_params.at("character_id");
    long long id = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return id;
}

Response get_character(Emulator& emulator, Request& request) {
    auto id = character_id_param(request);
    auto character = id ? emulator.world.find_character(*id) : std::nullopt;
    if (!character) {
        return json_error(404, "character '" + request.path_params.at("character_id") + "' does not exist");
    }
    return json_response(200, character_summary(*character));
}

Response post_character(Emulator& emulator, Request& request) {
    auto id = character_id_param(request);
    if (!id || !emulator.world.find_character(*id)) {
        return json_error(404, "character '" + request.path_params.at("character_id") + "' does not exist");
    }

    Response error_response;
    auto body = read_object(request, error_response);
    if (!body) {
        return error_response;
    }
    auto error = emulator.world.update_character(*id, *body);
    if (!error.empty()) {
        return json_error(400, error);
    }
    return json_response(200, character_summary(*emulator.world.find_character(*id)));
}

Response generate_characters(Emulator& emulator, Request& request) {
    Response error_response;
    auto body = read_object(request, error_response);
    if (!body) {
        return error_response;
    }
    auto first = body->find("first_id");
    auto count = body->find("count");
    if (first == body->end() || !first->value().is_int64() || count == body->end() || !count->value().is_int64()) {
        return json_error(400, "body must be {\"first_id\": N, \"count\": N}");
    }
    auto error = emulator.world.generate_characters(first->value().as_int64(), count->value().as_int64());
    if (!error.empty()) {
        return json_error(400, error);
    }
    return json_response(200, boost::json::object{{"generated", count->value().as_int64()}});
}

Response list_characters(Emulator& emulator) {
    boost::json::array list;
    for (const auto& character : emulator.world.characters()) {
        list.push_back(character_summary(character));
    }
    return json_response(200, boost::json::object{{"characters", std::move(list)}});
}

Response post_reset(Emulator& emulator) {
    emulator.world.reset();
    emulator.faults.clear();
    emulator.error_limit.reset();
    return json_response(200, boost::json::object{{"reset", true}});
}

// Wraps a control handler: loopback peers only.
aa::emulator::Handler control_route(Emulator& emulator, std::function<Response(Emulator&, Request&)> handler) {
    return [&emulator, handler](Request& request) {
        if (!aa::emulator::is_loopback_address(request.remote_address)) {
            return json_error(403, "the control API accepts loopback clients only, not " + request.remote_address);
        }
        return handler(emulator, request);
    };
}

}  // namespace

void add_control_routes(aa::emulator::Router& router, Emulator& emulator) {
    router.add("GET", "/_emulator/faults", "_emulator_faults",
               control_route(emulator, [](Emulator& e, Request&) { return json_response(200, e.faults.to_json()); }));
    router.add("POST", "/_emulator/faults", "_emulator_faults", control_route(emulator, post_faults));
    router.add("DELETE", "/_emulator/faults", "_emulator_faults",
               control_route(emulator, [](Emulator& e, Request&) {
                   e.faults.clear();
                   return json_response(200, e.faults.to_json());
               }));

    router.add("GET", "/_emulator/characters", "_emulator_characters",
               control_route(emulator, [](Emulator& e, Request&) { return list_characters(e); }));
    router.add("POST", "/_emulator/characters/generate", "_emulator_characters",
               control_route(emulator, generate_characters));
    router.add("GET", "/_emulator/characters/{character_id}", "_emulator_characters",
               control_route(emulator, get_character));
    router.add("POST", "/_emulator/characters/{character_id}", "_emulator_characters",
               control_route(emulator, post_character));
    router.add("POST", "/_emulator/reset", "_emulator_reset",
               control_route(emulator, [](Emulator& e, Request&) { return post_reset(e); }));

    router.add("GET", "/_emulator/requests", "_emulator_requests",
               control_route(emulator, [](Emulator& e, Request&) { return json_response(200, e.requests.to_json()); }));
    router.add("DELETE", "/_emulator/requests", "_emulator_requests",
               control_route(emulator, [](Emulator& e, Request&) {
                   e.requests.clear();
                   return json_response(200, e.requests.to_json());
               }));
}

}  // namespace aa::eve
