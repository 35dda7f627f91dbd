#include "fault_state.hpp"

#include <boost/json/array.hpp>

#include "json_members.hpp"

namespace aa::discord_emulator {

using aa::emulator::read_int_member;
using aa::emulator::read_string_member;

std::string FaultState::apply(const boost::json::object& request) {
    for (const auto& [key, value] : request) {
        if (key != "rate_limit" && key != "route" && key != "retry_after_ms" && key != "api" && key != "status" &&
            key != "count" && key != "oauth" && key != "reject_role_name") {
            return "unknown key \"" + std::string(key) +
                   "\"; expected rate_limit, route, retry_after_ms, api, status, count, oauth or reject_role_name";
        }
    }

    std::string rate_limit, route, api, oauth, role_name;
    long long retry_after_ms = 1000, status = 502, count = -1;
    for (auto error : {read_string_member(request, "rate_limit", rate_limit),
                       read_string_member(request, "route", route), read_string_member(request, "api", api),
                       read_string_member(request, "oauth", oauth),
                       read_string_member(request, "reject_role_name", role_name),
                       read_int_member(request, "retry_after_ms", 0, 3'600'000, retry_after_ms),
                       read_int_member(request, "status", 500, 599, status),
                       read_int_member(request, "count", 1, 1'000'000, count)}) {
        if (!error.empty()) {
            return error;
        }
    }
    int counted = count < 0 ? 1 : static_cast<int>(count);

    if (!rate_limit.empty() && rate_limit != "user" && rate_limit != "shared" && rate_limit != "global") {
        return "rate_limit must be user, shared or global, not \"" + rate_limit + "\"";
    }
    if (!api.empty() && api != "down" && api != "5xx" && api != "normal") {
        return "api must be down, 5xx or normal, not \"" + api + "\"";
    }
    if (!oauth.empty() && oauth != "reject_code" && oauth != "normal") {
        return "oauth must be reject_code or normal, not \"" + oauth + "\"";
    }

    if (request.contains("reject_role_name") && role_name.empty()) {
        return "reject_role_name must name a role";
    }

    if (!role_name.empty()) {
        rejected_role_names_.insert(role_name);
    }
    if (!rate_limit.empty()) {
        rate_limits_[route] = RateLimitFault{rate_limit, counted, retry_after_ms};
    }
    if (api == "down") {
        api_down_ = true;
    } else if (api == "5xx") {
        failures_left_ = counted;
        failure_status_ = static_cast<unsigned>(status);
    } else if (api == "normal") {
        api_down_ = false;
        failures_left_ = 0;
        rate_limits_.clear();
    }
    if (oauth == "reject_code") {
        reject_codes_forever_ = count < 0;
        code_rejections_left_ = count < 0 ? 0 : counted;
    } else if (oauth == "normal") {
        reject_codes_forever_ = false;
        code_rejections_left_ = 0;
    }
    return {};
}

void FaultState::clear() { *this = FaultState{}; }

boost::json::object FaultState::to_json() const {
    boost::json::object rate_limits;
    for (const auto& [route, fault] : rate_limits_) {
        if (fault.left > 0) {
            rate_limits[route.empty() ? "*" : route] = boost::json::object{
                {"scope", fault.scope}, {"left", fault.left}, {"retry_after_ms", fault.retry_after_ms}};
        }
    }
    boost::json::object oauth{{"reject_code", reject_codes_forever_ ? boost::json::value("always")
                                                                    : boost::json::value(code_rejections_left_)}};
    boost::json::array rejected_role_names;
    for (const auto& name : rejected_role_names_) {
        rejected_role_names.emplace_back(name);
    }
    return boost::json::object{
        {"api", boost::json::object{{"down", api_down_}, {"failures_left", failures_left_},
                                    {"failure_status", failure_status_}}},
        {"rate_limits", std::move(rate_limits)},
        {"oauth", std::move(oauth)},
        {"rejected_role_names", std::move(rejected_role_names)},
    };
}

ApiFault FaultState::next_api_fault(const std::string& route) {
    ApiFault fault;
    if (api_down_) {
        fault.drop_connection = true;
        return fault;
    }
    if (failures_left_ > 0) {
        --failures_left_;
        fault.status = failure_status_;
        return fault;
    }
    for (const auto& key : {route, std::string()}) {
        auto found = rate_limits_.find(key);
        if (found != rate_limits_.end() && found->second.left > 0) {
            --found->second.left;
            fault.rate_limit_scope = found->second.scope;
            fault.retry_after_ms = found->second.retry_after_ms;
            return fault;
        }
    }
    return fault;
}

bool FaultState::take_code_rejection() {
    if (reject_codes_forever_) {
        return true;
    }
    if (code_rejections_left_ > 0) {
        --code_rejections_left_;
        return true;
    }
    return false;
}

bool FaultState::rejects_role_name(const std::string& name) const { return rejected_role_names_.count(name) > 0; }

}  // namespace aa::discord_emulator
