#include "fault_state.hpp"

#include "json_members.hpp"

#include <array>
#include <utility>

namespace aa::eve {

using aa::emulator::read_int_member;
using aa::emulator::read_string_member;

namespace {

constexpr std::array<std::pair<std::string_view, TokenDefect>, 6> token_defect_names{{
    {"none", TokenDefect::none},
    {"invalid_signature", TokenDefect::invalid_signature},
    {"wrong_issuer", TokenDefect::wrong_issuer},
    {"expired", TokenDefect::expired},
    {"missing_scopes", TokenDefect::missing_scopes},
    {"wrong_audience", TokenDefect::wrong_audience},
}};

constexpr long long max_delay_ms = 600'000;

std::string_view token_defect_name(TokenDefect defect) {
    for (const auto& [name, value] : token_defect_names) {
        if (value == defect) {
            return name;
        }
    }
    return "none";
}

}  // namespace

std::string FaultState::apply(const boost::json::object& request) {
    for (const auto& [key, value] : request) {
        if (key != "esi" && key != "sso" && key != "sso_token" && key != "status" &&
            key != "count" && key != "delay_ms") {
            return "unknown key \"" + std::string(key) +
                   "\"; expected esi, sso, sso_token, status, count or delay_ms";
        }
    }

    std::string esi, sso, sso_token;
    long long status = 502, count = -1, delay_ms = 3000;
    for (auto error : {read_string_member(request, "esi", esi), read_string_member(request, "sso", sso),
                       read_string_member(request, "sso_token", sso_token),
                       read_int_member(request, "status", 500, 599, status),
                       read_int_member(request, "count", 1, 1'000'000, count),
                       read_int_member(request, "delay_ms", 0, max_delay_ms, delay_ms)}) {
        if (!error.empty()) {
            return error;
        }
    }

    std::lock_guard lock(mutex_);
    Settings next = settings_;
    int counted = count < 0 ? 1 : static_cast<int>(count);

    if (esi == "down") {
        next.esi_mode = EsiMode::down;
    } else if (esi == "slow") {
        next.esi_mode = EsiMode::slow;
        next.esi_delay = std::chrono::milliseconds(delay_ms);
    } else if (esi == "5xx") {
        next.esi_failures_left = counted;
        next.esi_failure_status = static_cast<unsigned>(status);
    } else if (esi == "error_limited") {
        next.esi_error_limited_left = counted;
    } else if (esi == "normal") {
        next.esi_mode = EsiMode::normal;
        next.esi_failures_left = 0;
        next.esi_error_limited_left = 0;
    } else if (!esi.empty()) {
        return "esi must be down, slow, 5xx, error_limited or normal, not \"" + esi + "\"";
    }

    if (sso == "down") {
        next.sso_down = true;
    } else if (sso == "reject_code") {
        // Without "count" every exchange fails until the faults are cleared.
        next.reject_codes_forever = count < 0;
        next.code_rejections_left = count < 0 ? 0 : counted;
    } else if (sso == "normal") {
        next.sso_down = false;
        next.reject_codes_forever = false;
        next.code_rejections_left = 0;
    } else if (!sso.empty()) {
        return "sso must be down, reject_code or normal, not \"" + sso + "\"";
    }

    if (!sso_token.empty()) {
        bool known = false;
        for (const auto& [name, defect] : token_defect_names) {
            if (name == sso_token) {
                next.token_defect = defect;
                next.token_defects_left = defect == TokenDefect::none ? 0 : counted;
                known = true;
            }
        }
        if (!known) {
            return "sso_token must be invalid_signature, wrong_issuer, expired, missing_scopes, "
                   "wrong_audience or none, not \"" + sso_token + "\"";
        }
    }

    settings_ = next;
    return {};
}

void FaultState::clear() {
    std::lock_guard lock(mutex_);
    settings_ = Settings{};
}

std::string_view FaultState::esi_mode_name(EsiMode mode) {
    switch (mode) {
        case EsiMode::down: return "down";
        case EsiMode::slow: return "slow";
        case EsiMode::normal: break;
    }
    return "normal";
}

boost::json::object FaultState::to_json() const {
    std::lock_guard lock(mutex_);
    const auto& s = settings_;
    boost::json::object esi;
    esi["mode"] = esi_mode_name(s.esi_mode);
    esi["delay_ms"] = s.esi_mode == EsiMode::slow ? s.esi_delay.count() : 0;
    esi["failures_left"] = s.esi_failures_left;
    esi["failure_status"] = s.esi_failure_status;
    esi["error_limited_left"] = s.esi_error_limited_left;

    boost::json::object sso;
    sso["down"] = s.sso_down;
    sso["reject_code"] = s.reject_codes_forever ? boost::json::value("always")
                                                : boost::json::value(s.code_rejections_left);
    sso["token_defect"] = s.token_defects_left > 0 ? token_defect_name(s.token_defect) : "none";
    sso["token_defects_left"] = s.token_defects_left;

    return boost::json::object{{"esi", std::move(esi)}, {"sso", std::move(sso)}};
}

EsiFault FaultState::next_esi_fault() {
    std::lock_guard lock(mutex_);
    EsiFault fault;
    if (settings_.esi_mode == EsiMode::down) {
        fault.drop_connection = true;
        return fault;
    }
    if (settings_.esi_mode == EsiMode::slow) {
        fault.delay = settings_.esi_delay;
    }
    if (settings_.esi_error_limited_left > 0) {
        --settings_.esi_error_limited_left;
        fault.status = 420;
    } else if (settings_.esi_failures_left > 0) {
        --settings_.esi_failures_left;
        fault.status = settings_.esi_failure_status;
    }
    return fault;
}

bool FaultState::sso_down() const {
    std::lock_guard lock(mutex_);
    return settings_.sso_down;
}

bool FaultState::take_code_rejection() {
    std::lock_guard lock(mutex_);
    if (settings_.reject_codes_forever) {
        return true;
    }
    if (settings_.code_rejections_left > 0) {
        --settings_.code_rejections_left;
        return true;
    }
    return false;
}

TokenDefect FaultState::take_token_defect() {
    std::lock_guard lock(mutex_);
    if (settings_.token_defects_left <= 0) {
        return TokenDefect::none;
    }
    --settings_.token_defects_left;
    return settings_.token_defect;
}

}  // namespace aa::eve
