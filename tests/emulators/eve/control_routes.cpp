// Test control API under /_emulator/: faults, character changes, reset and
// request counts. Only loopback peers may use it.
#include "emulator.hpp"

#include "control_api.hpp"
#include "json_response.hpp"

#include <boost/json/array.hpp>

#include <charconv>

namespace aa::eve {

using aa::emulator::json_error;
using aa::emulator::json_response;
using aa::emulator::read_control_body;
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
    auto body = read_control_body(request, error_response);
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
    auto body = read_control_body(request, error_response);
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

}  // namespace

void add_control_routes(aa::emulator::Router& router, Emulator& emulator) {
    using aa::emulator::loopback_only;

    aa::emulator::add_fault_routes(router, emulator.faults);

    router.add("GET", "/_emulator/characters", "_emulator_characters",
               loopback_only([&emulator](Request&) { return list_characters(emulator); }));
    router.add("POST", "/_emulator/characters/generate", "_emulator_characters",
               loopback_only([&emulator](Request& request) { return generate_characters(emulator, request); }));
    router.add("GET", "/_emulator/characters/{character_id}", "_emulator_characters",
               loopback_only([&emulator](Request& request) { return get_character(emulator, request); }));
    router.add("POST", "/_emulator/characters/{character_id}", "_emulator_characters",
               loopback_only([&emulator](Request& request) { return post_character(emulator, request); }));
    router.add("POST", "/_emulator/reset", "_emulator_reset",
               loopback_only([&emulator](Request&) { return post_reset(emulator); }));

    aa::emulator::add_request_count_routes(router, emulator.requests);
}

}  // namespace aa::eve
