// ESI routes, served under /latest/, /dev/, /legacy/, the versioned prefixes
// that CCP's spec lists as alternate routes, and with no prefix.
#include "emulator.hpp"

#include "bearer_auth.hpp"
#include "esi_headers.hpp"
#include "json_response.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <set>

namespace aa::eve {

using aa::emulator::json_error;
using aa::emulator::json_response;
using aa::emulator::Request;
using aa::emulator::Response;

namespace {

// ESI's limit on POST /characters/affiliation/ and /universe/names/ bodies.
constexpr std::size_t max_ids_per_request = 1000;

struct EsiOperation {
    const char* name;  // ESI operation id
    const char* method;
    const char* path;
    std::vector<std::string> versions;  // alternate-route prefixes, e.g. "v5"
    std::int64_t cache_seconds;         // -1: until the daily expiry; 0: no caching headers
};

std::optional<long long> parse_id(const std::string& text) {
    long long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
        return std::nullopt;
    }
    return value;
}

// Parses a POST body that must be a JSON array of 1 to 1000 unique positive
// integers. Returns nullopt and sets error otherwise.
std::optional<std::vector<long long>> parse_id_list(const std::string& body, const char* what,
                                                    std::string& error) {
    auto value = aa::emulator::parse_json(body, error);
    if (!value) {
        error = std::string("body is not valid JSON: ") + error;
        return std::nullopt;
    }
    if (!value->is_array()) {
        error = std::string("body must be a JSON array of ") + what;
        return std::nullopt;
    }

    const auto& array = value->as_array();
    if (array.empty() || array.size() > max_ids_per_request) {
        error = std::string("body must hold 1 to 1000 ") + what + ", got " + std::to_string(array.size());
        return std::nullopt;
    }

    std::vector<long long> ids;
    std::set<long long> seen;
    for (const auto& item : array) {
        if (!item.is_int64() || item.as_int64() <= 0) {
            error = std::string("every item must be a positive integer, got ") +
                    boost::json::serialize(item);
            return std::nullopt;
        }
        if (!seen.insert(item.as_int64()).second) {
            error = "duplicate id " + std::to_string(item.as_int64()) + "; ids must be unique";
            return std::nullopt;
        }
        ids.push_back(item.as_int64());
    }
    return ids;
}

std::string join_ids(const std::vector<long long>& ids) {
    std::string text;
    for (auto id : ids) {
        text += text.empty() ? std::to_string(id) : ", " + std::to_string(id);
    }
    return text;
}

Response get_character(Emulator& emulator, Request& request) {
    auto id = parse_id(request.path_params.at("character_id"));
    if (!id) {
        return json_error(400, "character_id '" + request.path_params.at("character_id") +
                                   "' is not a positive integer");
    }
    auto character = emulator.world.find_character(*id);
    if (!character) {
        return json_error(404, "Character not found");
    }
    return json_response(200, character_public_info(*character));
}

Response post_affiliation(Emulator& emulator, Request& request) {
    std::string error;
    auto ids = parse_id_list(request.body, "character ids", error);
    if (!ids) {
        return json_error(400, error);
    }

    boost::json::array result;
    std::vector<long long> missing;
    for (auto id : *ids) {
        auto character = emulator.world.find_character(id);
        if (!character) {
            missing.push_back(id);
            continue;
        }
        boost::json::object entry{{"character_id", id}, {"corporation_id", character->corporation_id}};
        if (character->alliance_id) {
            entry["alliance_id"] = *character->alliance_id;
        }
        if (character->faction_id) {
            entry["faction_id"] = *character->faction_id;
        }
        result.push_back(std::move(entry));
    }

    // ESI: "All characters must exist, or none will be returned".
    if (!missing.empty()) {
        return json_error(404, "All characters must exist, or none will be returned; not found: " +
                                   join_ids(missing));
    }
    return json_response(200, result);
}

Response get_recorded(const std::map<long long, boost::json::object>& bodies,
                      const std::string& id_text, const char* id_name, const char* not_found) {
    auto id = parse_id(id_text);
    if (!id) {
        return json_error(400, std::string(id_name) + " '" + id_text + "' is not a positive integer");
    }
    auto found = bodies.find(*id);
    if (found == bodies.end()) {
        return json_error(404, not_found);
    }
    return json_response(200, found->second);
}

Response post_universe_names(Emulator& emulator, Request& request) {
    std::string error;
    auto ids = parse_id_list(request.body, "ids", error);
    if (!ids) {
        return json_error(400, error);
    }

    boost::json::array result;
    std::vector<long long> missing;
    for (auto id : *ids) {
        auto named = emulator.world.find_name(id);
        if (!named) {
            missing.push_back(id);
            continue;
        }
        result.push_back(boost::json::object{{"category", named->category}, {"id", id}, {"name", named->name}});
    }
    if (!missing.empty()) {
        return json_error(404, "Ensure all IDs are valid before resolving; not found: " + join_ids(missing));
    }
    return json_response(200, result);
}

Response get_location(Emulator& emulator, Request& request) {
    auto id = parse_id(request.path_params.at("character_id"));
    if (!id) {
        return json_error(400, "character_id '" + request.path_params.at("character_id") +
                                   "' is not a positive integer");
    }

    auto bearer = require_bearer_token(request, emulator.key, emulator.clock(),
                                       "esi-location.read_location.v1");
    if (!bearer.token) {
        return bearer.error;
    }
    if (bearer.token->subject.character_id != *id) {
        return json_error(403, "token is for character " +
                                   std::to_string(bearer.token->subject.character_id) +
                                   ", not for character " + std::to_string(*id));
    }

    auto character = emulator.world.find_character(*id);
    if (!character) {
        return json_error(404, "Character not found");
    }
    return json_response(200, character->location);
}

Response error_limited_response(std::int64_t reset_seconds) {
    auto response = json_error(420, "error limited: too many error responses in this window; "
                                    "wait X-ESI-Error-Limit-Reset seconds");
    response.set_header("X-ESI-Error-Limit-Remain", "0");
    response.set_header("X-ESI-Error-Limit-Reset", std::to_string(reset_seconds));
    return response;
}

Response injected_failure(unsigned status) {
    switch (status) {
        case 500: return json_error(status, "Internal server error");
        case 502: return json_error(status, "Bad gateway");
        case 503: return json_error(status, "Service unavailable");
        case 504: return json_error(status, "Gateway timeout");
        default: return json_error(status, "Injected failure " + std::to_string(status));
    }
}

// Applies faults, the error limit and the caching headers around a handler.
aa::emulator::Handler esi_route(Emulator& emulator, const EsiOperation& operation,
                                std::function<Response(Emulator&, Request&)> handler) {
    auto cache_seconds = operation.cache_seconds;
    return [&emulator, cache_seconds, handler](Request& request) {
        auto fault = emulator.faults.next_esi_fault();
        if (fault.drop_connection) {
            return Response::dropped();
        }

        auto now = emulator.clock();
        auto limit = emulator.error_limit.state(now);
        if (fault.status == 420 || limit.limited()) {
            auto response = error_limited_response(limit.reset);
            response.delay = fault.delay;
            return response;
        }

        auto response = fault.status != 0 ? injected_failure(fault.status) : handler(emulator, request);
        if (response.status >= 400) {
            emulator.error_limit.record_error(now);
        }
        if (cache_seconds != 0) {
            auto seconds = cache_seconds < 0 ? seconds_until_daily_expiry(now) : cache_seconds;
            apply_cache_headers(request, response, seconds, emulator.started_at, now);
        }

        limit = emulator.error_limit.state(now);
        response.set_header("X-ESI-Error-Limit-Remain", std::to_string(limit.remain));
        response.set_header("X-ESI-Error-Limit-Reset", std::to_string(limit.reset));
        response.delay = fault.delay;
        return response;
    };
}

void add_operation(aa::emulator::Router& router, Emulator& emulator, const EsiOperation& operation,
                   std::function<Response(Emulator&, Request&)> handler) {
    auto wrapped = esi_route(emulator, operation, std::move(handler));

    std::vector<std::string> prefixes{"", "/latest", "/dev", "/legacy"};
    for (const auto& version : operation.versions) {
        prefixes.push_back("/" + version);
    }
    for (const auto& prefix : prefixes) {
        router.add(operation.method, prefix + operation.path, operation.name, wrapped);
    }
}

}  // namespace

void add_esi_routes(aa::emulator::Router& router, Emulator& emulator) {
    // Versions and cache times from CCP's ESI Swagger 2.0 spec ("Alternate
    // route" lines and x-cached-seconds).
    add_operation(router, emulator,
                  {"get_characters_character_id", "GET", "/characters/{character_id}/", {"v4", "v5"}, 604800},
                  get_character);
    add_operation(router, emulator,
                  {"post_characters_affiliation", "POST", "/characters/affiliation/", {"v1", "v2"}, 3600},
                  post_affiliation);
    add_operation(router, emulator,
                  {"get_characters_character_id_location", "GET", "/characters/{character_id}/location/",
                   {"v1", "v2"}, 5},
                  get_location);
    add_operation(router, emulator,
                  {"get_corporations_corporation_id", "GET", "/corporations/{corporation_id}/", {"v4", "v5"}, 3600},
                  [](Emulator& e, Request& request) {
                      return get_recorded(e.world.data().corporations,
                                          request.path_params.at("corporation_id"), "corporation_id",
                                          "Corporation not found");
                  });
    add_operation(router, emulator,
                  {"get_alliances_alliance_id", "GET", "/alliances/{alliance_id}/", {"v3", "v4"}, 3600},
                  [](Emulator& e, Request& request) {
                      return get_recorded(e.world.data().alliances, request.path_params.at("alliance_id"),
                                          "alliance_id", "Alliance not found");
                  });
    add_operation(router, emulator, {"get_universe_factions", "GET", "/universe/factions/", {"v2"}, -1},
                  [](Emulator& e, Request&) { return json_response(200, e.world.data().factions); });
    add_operation(router, emulator, {"post_universe_names", "POST", "/universe/names/", {"v2", "v3"}, 0},
                  post_universe_names);
    add_operation(router, emulator, {"get_status", "GET", "/status/", {"v1", "v2"}, 30},
                  [](Emulator& e, Request&) { return json_response(200, e.world.data().status); });
}

}  // namespace aa::eve
