// Number of requests per route name, so tests can assert retries and caching.
#pragma once

#include <boost/json/object.hpp>

#include <map>
#include <mutex>
#include <string>

namespace aa::eve {

class RequestCounter {
public:
    void add(const std::string& route_name);
    long count(const std::string& route_name) const;

    // {"total": N, "routes": {"<route name>": N, ...}}
    boost::json::object to_json() const;
    void clear();

private:
    mutable std::mutex mutex_;
    std::map<std::string, long> counts_;
};

}  // namespace aa::eve
