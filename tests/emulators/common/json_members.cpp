#include "json_members.hpp"

namespace aa::emulator {

std::string read_int_member(const boost::json::object& object, std::string_view key, long long minimum,
                            long long maximum, long long& out) {
    auto found = object.find(key);
    if (found == object.end()) {
        return {};
    }
    if (!found->value().is_int64() || found->value().as_int64() < minimum || found->value().as_int64() > maximum) {
        return std::string(key) + " must be an integer from " + std::to_string(minimum) + " to " +
               std::to_string(maximum);
    }
    out = found->value().as_int64();
    return {};
}

std::string read_string_member(const boost::json::object& object, std::string_view key, std::string& out) {
    auto found = object.find(key);
    if (found == object.end()) {
        return {};
    }
    if (!found->value().is_string()) {
        return std::string(key) + " must be a string";
    }
    out = std::string(found->value().as_string());
    return {};
}

}  // namespace aa::emulator
