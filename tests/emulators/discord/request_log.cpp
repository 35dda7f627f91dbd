#include "request_log.hpp"

namespace aa::discord_emulator {

namespace {

boost::json::object to_object(const std::map<std::string, long>& counts) {
    boost::json::object object;
    for (const auto& [name, count] : counts) {
        object[name] = count;
    }
    return object;
}

}  // namespace

boost::json::object RequestLog::to_json() const {
    long total = 0;
    for (const auto& [name, count] : requests_) {
        total += count;
    }
    return boost::json::object{
        {"total", total},
        {"routes", to_object(requests_)},
        {"rate_limited", to_object(rate_limited_)},
        {"injected_429", to_object(injected_)},
    };
}

void RequestLog::clear() {
    requests_.clear();
    rate_limited_.clear();
    injected_.clear();
}

}  // namespace aa::discord_emulator
