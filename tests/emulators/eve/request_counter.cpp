#include "request_counter.hpp"

namespace aa::eve {

void RequestCounter::add(const std::string& route_name) {
    std::lock_guard lock(mutex_);
    ++counts_[route_name];
}

long RequestCounter::count(const std::string& route_name) const {
    std::lock_guard lock(mutex_);
    auto found = counts_.find(route_name);
    return found == counts_.end() ? 0 : found->second;
}

boost::json::object RequestCounter::to_json() const {
    std::lock_guard lock(mutex_);
    boost::json::object routes;
    long total = 0;
    for (const auto& [name, count] : counts_) {
        routes[name] = count;
        total += count;
    }
    return boost::json::object{{"total", total}, {"routes", std::move(routes)}};
}

void RequestCounter::clear() {
    std::lock_guard lock(mutex_);
    counts_.clear();
}

}  // namespace aa::eve
