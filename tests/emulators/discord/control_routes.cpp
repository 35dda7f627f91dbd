// Test control API under /_emulator/: state, faults, limits, direct role,
// member and token set-up, request counts and reset. Only loopback peers
// may use it.
#include "emulator.hpp"

#include "api_support.hpp"
#include "control_api.hpp"
#include "json_response.hpp"

#include <boost/json/array.hpp>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aa::discord_emulator {

using aa::emulator::json_error;
using aa::emulator::json_response;
using aa::emulator::read_control_body;
using aa::emulator::Request;
using aa::emulator::Response;

namespace {

// Reads the ids of a control body's "roles" array, which the caller has
// checked. Without the array there are no ids, and a non-string id gives nullopt.
std::optional<std::vector<std::string>> role_id_strings(const boost::json::value* roles) {
    std::vector<std::string> role_ids;
    if (!roles) {
        return role_ids;
    }
    for (const auto& id : roles->as_array()) {
        if (!id.is_string()) {
            return std::nullopt;
        }
        role_ids.emplace_back(id.as_string());
    }
    return role_ids;
}

// Parses a snowflake id of decimal digits only, from 1 to 2^64 - 1. Anything
// else gives nullopt, a sign or white space included.
std::optional<std::uint64_t> parse_snowflake(const std::string& text) {
    std::uint64_t id = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size() || id == 0) {
        return std::nullopt;
    }
    return id;
}

Response post_limits(Emulator& emulator, Request& request) {
    Response error_response;
    auto body = read_control_body(request, error_response);
    if (!body) {
        return error_response;
    }
    auto error = emulator.limits.set_limit(*body);
    if (!error.empty()) {
        return json_error(400, error);
    }
    return json_response(200, emulator.limits.to_json());
}

Response post_role(Emulator& emulator, Request& request) {
    Response error_response;
    auto body = read_control_body(request, error_response);
    if (!body) {
        return error_response;
    }
    Role created;
    if (auto failure = emulator.world.insert_role(*body, emulator.clock(), created)) {
        return json_error(400, failure->message);
    }
    return json_response(200, boost::json::object{{"id", created.id}, {"name", created.name},
                                                  {"position", created.position}, {"managed", created.managed}});
}

// {"user_id": "...", "roles": ["..."], "nick": "..."}: makes the user a
// member with exactly these roles, whatever the hierarchy says.
Response post_member(Emulator& emulator, Request& request) {
    Response error_response;
    auto body = read_control_body(request, error_response);
    if (!body) {
        return error_response;
    }
    auto user_id = body->if_contains("user_id");
    auto roles = body->if_contains("roles");
    auto nick = body->if_contains("nick");
    if (!user_id || !user_id->is_string() || (roles && !roles->is_array()) ||
        (nick && !nick->is_string() && !nick->is_null())) {
        return json_error(400, "body must be {\"user_id\": \"...\", \"roles\": [\"...\"], \"nick\": \"...\" | null}");
    }
    auto role_ids = role_id_strings(roles);
    if (!role_ids) {
        return json_error(400, "roles must be an array of role id strings");
    }
    std::optional<std::string> nick_value;
    if (nick && nick->is_string()) {
        nick_value = std::string(nick->as_string());
    }

    std::string id(user_id->as_string());
    if (auto failure = emulator.world.insert_member(id, *role_ids, nick_value, emulator.clock())) {
        return json_error(400, failure->message);
    }
    return json_response(200, emulator.world.member_json(*emulator.world.find_member(id)));
}

// {"first_id": "...", "count": N, "roles": ["..."]}: N new users with ids
// from first_id up, each a member with these roles.
Response generate_members(Emulator& emulator, Request& request) {
    Response error_response;
    auto body = read_control_body(request, error_response);
    if (!body) {
        return error_response;
    }

    auto first_id = body->if_contains("first_id");
    auto count = body->if_contains("count");
    auto roles = body->if_contains("roles");
    constexpr const char* shape = "body must be {\"first_id\": \"...\", \"count\": 1..100000, \"roles\": [\"...\"]}";
    if (!first_id || !first_id->is_string() || !count || !count->is_int64() || (roles && !roles->is_array())) {
        return json_error(400, shape);
    }

    std::string first_text(first_id->as_string());
    auto first = parse_snowflake(first_text);
    if (!first) {
        return json_error(400, "first_id \"" + first_text + "\" is not a snowflake; " + shape);
    }
    if (count->as_int64() < 1 || count->as_int64() > 100'000) {
        return json_error(400, "count " + std::to_string(count->as_int64()) + " is out of range; " + shape);
    }
    auto role_ids = role_id_strings(roles);
    if (!role_ids) {
        return json_error(400, "roles must be an array of role id strings");
    }

    auto generated = static_cast<int>(count->as_int64());
    if (auto failure = emulator.world.generate_members(*first, generated, *role_ids, emulator.clock())) {
        return json_error(400, failure->message);
    }
    return json_response(200, boost::json::object{{"generated", generated}});
}

// {"guild_members": bool}: whether the application has the GUILD_MEMBERS
// intent that the member list needs; on until a reset.
Response post_intents(Emulator& emulator, Request& request) {
    Response error_response;
    auto body = read_control_body(request, error_response);
    if (!body) {
        return error_response;
    }
    auto members = body->if_contains("guild_members");
    if (!members || !members->is_bool()) {
        return json_error(400, "body must be {\"guild_members\": true | false}");
    }
    emulator.world.set_members_intent(members->as_bool());
    return json_response(200, boost::json::object{{"guild_members", members->as_bool()}});
}

// Removes a member without any check, the bot included, as a user leaving
// the server or an admin kicking the bot would.
Response delete_member(Emulator& emulator, Request& request) {
    const auto& user_id = request.path_params.at("user_id");
    if (!emulator.world.find_member(user_id)) {
        return json_error(404, "user " + user_id + " is not a member of the guild");
    }
    emulator.world.remove_member_unchecked(user_id);
    return json_response(200, boost::json::object{{"removed", user_id}});
}

// {"user_id": "...", "scopes": ["identify", "guilds.join"]}: a token pair
// as if the user had gone through authorize, for tests that skip the browser.
Response post_token(Emulator& emulator, Request& request) {
    Response error_response;
    auto body = read_control_body(request, error_response);
    if (!body) {
        return error_response;
    }
    auto user_id = body->if_contains("user_id");
    auto scopes = body->if_contains("scopes");
    if (!user_id || !user_id->is_string() || !scopes || !scopes->is_array()) {
        return json_error(400, "body must be {\"user_id\": \"...\", \"scopes\": [\"...\"]}");
    }
    Grant grant;
    grant.user_id = std::string(user_id->as_string());
    if (!emulator.world.has_user(grant.user_id)) {
        return json_error(400, "unknown user_id '" + grant.user_id + "'");
    }
    for (const auto& scope : scopes->as_array()) {
        if (!scope.is_string()) {
            return json_error(400, "scopes must be strings");
        }
        grant.scopes.emplace_back(scope.as_string());
    }
    auto tokens = emulator.oauth.issue_tokens(grant, emulator.clock());
    return json_response(200, boost::json::object{{"access_token", tokens.access_token},
                                                  {"refresh_token", tokens.refresh_token},
                                                  {"scope", grant.scope_text()}});
}

}  // namespace

void add_control_routes(aa::emulator::Router& router, Emulator& emulator) {
    auto add = [&](const char* method, const char* path, const char* name, aa::emulator::Handler handler) {
        router.add(method, path, name, aa::emulator::loopback_only(std::move(handler)));
    };

    add("GET", "/_emulator/state", "_emulator_state",
        [&emulator](Request&) { return json_response(200, emulator.world.state_json()); });
    aa::emulator::add_fault_routes(router, emulator.faults);
    add("GET", "/_emulator/limits", "_emulator_limits",
        [&emulator](Request&) { return json_response(200, emulator.limits.to_json()); });
    add("POST", "/_emulator/limits", "_emulator_limits",
        [&emulator](Request& request) { return post_limits(emulator, request); });
    add("POST", "/_emulator/roles", "_emulator_roles",
        [&emulator](Request& request) { return post_role(emulator, request); });
    add("POST", "/_emulator/members", "_emulator_members",
        [&emulator](Request& request) { return post_member(emulator, request); });
    add("POST", "/_emulator/members/generate", "_emulator_members",
        [&emulator](Request& request) { return generate_members(emulator, request); });
    add("POST", "/_emulator/intents", "_emulator_intents",
        [&emulator](Request& request) { return post_intents(emulator, request); });
    add("DELETE", "/_emulator/members/{user_id}", "_emulator_members",
        [&emulator](Request& request) { return delete_member(emulator, request); });
    add("POST", "/_emulator/tokens", "_emulator_tokens",
        [&emulator](Request& request) { return post_token(emulator, request); });
    aa::emulator::add_request_count_routes(router, emulator.requests);
    add("POST", "/_emulator/reset", "_emulator_reset", [&emulator](Request&) {
        emulator.reset();
        return json_response(200, boost::json::object{{"reset", true}});
    });
}

}  // namespace aa::discord_emulator
