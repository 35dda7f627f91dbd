// Bot API routes: the guild, its roles, its members and their roles, and
// GET /users/@me for both bot and user tokens.
#include "emulator.hpp"

#include "api_support.hpp"
#include "json_response.hpp"

#include <boost/json/array.hpp>

namespace aa::discord_emulator {

using aa::emulator::json_response;
using aa::emulator::Request;
using aa::emulator::Response;

namespace {

Response with_headers(Response response, const HeaderList& headers) {
    for (const auto& [name, value] : headers) {
        response.set_header(name, value);
    }
    return response;
}

Response no_content() {
    Response response;
    response.status = 204;
    return response;
}

// Reads an optional "roles" member: absent, or an array of snowflake strings.
std::optional<ApiError> read_role_ids(const boost::json::object& body,
                                      std::optional<std::vector<std::string>>& role_ids) {
    auto value = body.if_contains("roles");
    if (!value || value->is_null()) {
        return std::nullopt;
    }
    if (!value->is_array()) {
        return ApiError{400, 50035, "Must be an array of role ids.", "roles"};
    }
    role_ids.emplace();
    for (const auto& id : value->as_array()) {
        if (!id.is_string()) {
            return ApiError{400, 50035, "Role ids must be strings.", "roles"};
        }
        role_ids->emplace_back(id.as_string());
    }
    return std::nullopt;
}

// Reads an optional "nick": absent (outer nullopt), null or a string.
std::optional<ApiError> read_nick(const boost::json::object& body,
                                  std::optional<std::optional<std::string>>& nick) {
    auto value = body.if_contains("nick");
    if (!value) {
        return std::nullopt;
    }
    if (value->is_null()) {
        nick.emplace(std::nullopt);
        return std::nullopt;
    }
    if (!value->is_string()) {
        return ApiError{400, 50035, "Could not interpret the nick as a string.", "nick"};
    }
    nick.emplace(std::string(value->as_string()));
    return std::nullopt;
}

// A handler after the shared checks, with the guild id checked and the
// rate limit headers to add to whatever it returns.
using GuildHandler = std::function<Response(Emulator&, Request&)>;

aa::emulator::Handler guild_route(Emulator& emulator, GuildHandler handler) {
    return [&emulator, handler](Request& request) {
        HeaderList headers;
        if (auto refused = check_bot_request(emulator, request, request.path_params.at("guild_id"), headers)) {
            return *refused;
        }
        return with_headers(handler(emulator, request), headers);
    };
}

Response get_guild(Emulator& emulator, Request&) { return json_response(200, emulator.world.guild_json()); }

Response get_roles(Emulator& emulator, Request&) { return json_response(200, emulator.world.roles_json()); }

Response create_role(Emulator& emulator, Request& request) {
    Response error;
    auto body = read_json_object(request, error);
    if (!body) {
        return error;
    }
    // Discord validates more than its docs list (they name only the limit
    // of 100 characters), so tests mark names to reject the same way.
    auto name = body->if_contains("name");
    if (name && name->is_string() && emulator.faults.rejects_role_name(std::string(name->as_string()))) {
        return error_response(ApiError{400, 50035, "Role name is not allowed (injected fault).", "name"});
    }
    Role created;
    if (auto failure = emulator.world.create_role(*body, emulator.clock(), created)) {
        return error_response(*failure);
    }
    auto roles = emulator.world.roles_json();
    for (const auto& role : roles) {
        if (role.as_object().at("id").as_string() == created.id) {
            return json_response(200, role);
        }
    }
    return error_response(500, 0, "the created role vanished");
}

Response delete_role(Emulator& emulator, Request& request) {
    if (auto failure = emulator.world.delete_role(request.path_params.at("role_id"))) {
        return error_response(*failure);
    }
    return no_content();
}

Response get_member(Emulator& emulator, Request& request) {
    auto member = emulator.world.find_member(request.path_params.at("user_id"));
    if (!member) {
        return error_response(404, 10007, "Unknown Member");
    }
    return json_response(200, emulator.world.member_json(*member));
}

// GET /guilds/{id}/members?limit=1..1000&after=ID. Discord refuses it with
// 403 Missing Access when the application lacks the GUILD_MEMBERS intent.
Response list_members(Emulator& emulator, Request& request) {
    if (!emulator.world.members_intent()) {
        return error_response(403, 50001, "Missing Access");
    }
    std::size_t limit = 1;
    if (auto text = request.query_param("limit")) {
        std::size_t used = 0;
        long value = 0;
        try {
            value = std::stol(*text, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != text->size() || value < 1 || value > 1000) {
            return error_response(ApiError{400, 50035, "int value should be between 1 and 1000.", "limit"});
        }
        limit = static_cast<std::size_t>(value);
    }
    auto after = request.query_param("after").value_or("0");
    if (after.empty() || after.find_first_not_of("0123456789") != std::string::npos) {
        return error_response(ApiError{400, 50035, "Value \"" + after + "\" is not snowflake.", "after"});
    }

    boost::json::array members;
    for (const auto* member : emulator.world.list_members(after, limit)) {
        members.push_back(emulator.world.member_json(*member));
    }
    return json_response(200, members);
}

Response add_member(Emulator& emulator, Request& request) {
    const auto& user_id = request.path_params.at("user_id");
    Response error;
    auto body = read_json_object(request, error);
    if (!body) {
        return error;
    }

    auto token = body->if_contains("access_token");
    if (!token || !token->is_string()) {
        return error_response(ApiError{400, 50035, "This field is required", "access_token"});
    }
    auto grant = emulator.oauth.find_access_token(std::string(token->as_string()), emulator.clock());
    if (!grant || grant->user_id != user_id || !grant->has_scope("guilds.join")) {
        return error_response(403, 50025, "Invalid OAuth2 access token");
    }

    std::optional<std::optional<std::string>> nick;
    std::optional<std::vector<std::string>> role_ids;
    if (auto failure = read_nick(*body, nick)) {
        return error_response(*failure);
    }
    if (auto failure = read_role_ids(*body, role_ids)) {
        return error_response(*failure);
    }

    bool created = false;
    if (auto failure = emulator.world.add_member(user_id, nick ? *nick : std::nullopt, role_ids, emulator.clock(),
                                                 created)) {
        return error_response(*failure);
    }
    if (!created) {
        return no_content();
    }
    return json_response(201, emulator.world.member_json(*emulator.world.find_member(user_id)));
}

Response modify_member(Emulator& emulator, Request& request) {
    const auto& user_id = request.path_params.at("user_id");
    Response error;
    auto body = read_json_object(request, error);
    if (!body) {
        return error;
    }
    std::optional<std::optional<std::string>> nick;
    std::optional<std::vector<std::string>> role_ids;
    if (auto failure = read_nick(*body, nick)) {
        return error_response(*failure);
    }
    if (auto failure = read_role_ids(*body, role_ids)) {
        return error_response(*failure);
    }
    if (auto failure = emulator.world.modify_member(user_id, nick, role_ids)) {
        return error_response(*failure);
    }
    return json_response(200, emulator.world.member_json(*emulator.world.find_member(user_id)));
}

Response remove_member(Emulator& emulator, Request& request) {
    if (auto failure = emulator.world.remove_member(request.path_params.at("user_id"))) {
        return error_response(*failure);
    }
    return no_content();
}

Response add_member_role(Emulator& emulator, Request& request) {
    if (auto failure = emulator.world.add_member_role(request.path_params.at("user_id"),
                                                      request.path_params.at("role_id"))) {
        return error_response(*failure);
    }
    return no_content();
}

Response remove_member_role(Emulator& emulator, Request& request) {
    if (auto failure = emulator.world.remove_member_role(request.path_params.at("user_id"),
                                                         request.path_params.at("role_id"))) {
        return error_response(*failure);
    }
    return no_content();
}

// GET /users/@me: the bot with a bot token, the user with a user token
// that has the "identify" scope. Only the global limit applies, but an
// injected 429 fault applies as on the guild routes.
Response get_current_user(Emulator& emulator, Request& request) {
    auto fault = emulator.faults.next_api_fault(request.route_name);
    if (fault.drop_connection) {
        return Response::dropped();
    }
    if (!fault.rate_limit_scope.empty()) {
        emulator.requests.count_injected(request.route_name);
        return too_many_requests(fault.rate_limit_scope, fault.retry_after_ms, {});
    }
    if (fault.status != 0) {
        return error_response(fault.status, 0, std::to_string(fault.status) + ": injected server error");
    }

    auto bot_token = authorization_token(request, "Bot");
    if (!bot_token.empty()) {
        if (bot_token != emulator.config.bot_token) {
            return unauthorized();
        }
        return json_response(200, *emulator.world.user_json(emulator.world.bot_id()));
    }

    auto grant = emulator.oauth.find_access_token(authorization_token(request, "Bearer"), emulator.clock());
    if (!grant || !grant->has_scope("identify")) {
        return unauthorized();
    }
    auto user = emulator.world.user_json(grant->user_id);
    if (!user) {
        return unauthorized();
    }
    return json_response(200, *user);
}

}  // namespace

void add_guild_routes(aa::emulator::Router& router, Emulator& emulator) {
    for (std::string prefix : api_prefixes) {
        auto guild = prefix + "/guilds/{guild_id}";
        auto member = guild + "/members/{user_id}";
        router.add("GET", prefix + "/users/@me", "get_current_user",
                   [&emulator](Request& request) { return get_current_user(emulator, request); });
        router.add("GET", guild, "get_guild", guild_route(emulator, get_guild));
        router.add("GET", guild + "/roles", "get_guild_roles", guild_route(emulator, get_roles));
        router.add("POST", guild + "/roles", "create_guild_role", guild_route(emulator, create_role));
        router.add("DELETE", guild + "/roles/{role_id}", "delete_guild_role", guild_route(emulator, delete_role));
        router.add("GET", guild + "/members", "list_guild_members", guild_route(emulator, list_members));
        router.add("GET", member, "get_guild_member", guild_route(emulator, get_member));
        router.add("PUT", member, "add_guild_member", guild_route(emulator, add_member));
        router.add("PATCH", member, "modify_guild_member", guild_route(emulator, modify_member));
        router.add("DELETE", member, "remove_guild_member", guild_route(emulator, remove_member));
        router.add("PUT", member + "/roles/{role_id}", "add_guild_member_role", guild_route(emulator, add_member_role));
        router.add("DELETE", member + "/roles/{role_id}", "remove_guild_member_role",
                   guild_route(emulator, remove_member_role));
    }
}

}  // namespace aa::discord_emulator
