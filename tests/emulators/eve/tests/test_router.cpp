#include "json_response.hpp"
#include "router.hpp"

#include <doctest/doctest.h>

using namespace aa::emulator;

namespace {

Request make_request(std::string method, std::string path) {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    return request;
}

Router sample_router() {
    Router router;
    router.add("GET", "/items/{item_id}/", "get_item", [](Request& request) {
        return Response::text(200, request.path_params.at("item_id"));
    });
    router.add("POST", "/items/", "post_items", [](Request&) { return Response::text(201, "made"); });
    return router;
}

}  // namespace

TEST_CASE("router captures path parameters") {
    auto router = sample_router();
    auto request = make_request("GET", "/items/42/");
    auto response = router.dispatch(request);
    CHECK(response.status == 200);
    CHECK(response.body == "42");
    CHECK(request.route_name == "get_item");
}

TEST_CASE("router makes the trailing slash optional") {
    auto router = sample_router();
    auto without_slash = make_request("GET", "/items/7");
    CHECK(router.dispatch(without_slash).body == "7");
    auto with_slash = make_request("POST", "/items");
    CHECK(router.dispatch(with_slash).status == 201);
}

TEST_CASE("router decodes percent-escapes in parameters") {
    auto router = sample_router();
    auto request = make_request("GET", "/items/a%20b");
    CHECK(router.dispatch(request).body == "a b");
}

TEST_CASE("router answers 404 for unknown paths") {
    auto router = sample_router();
    auto request = make_request("GET", "/other");
    auto response = router.dispatch(request);
    CHECK(response.status == 404);
    CHECK(request.route_name.empty());
}

TEST_CASE("router answers 405 with Allow") {
    auto router = sample_router();
    auto request = make_request("DELETE", "/items/");
    auto response = router.dispatch(request);
    CHECK(response.status == 405);
    CHECK(response.header("allow") == "POST");
}

TEST_CASE("loopback addresses") {
    CHECK(is_loopback_address("127.0.0.1"));
    CHECK(is_loopback_address("127.1.2.3"));
    CHECK(is_loopback_address("::1"));
    CHECK(is_loopback_address("::ffff:127.0.0.1"));
    CHECK_FALSE(is_loopback_address("10.0.0.1"));
    CHECK_FALSE(is_loopback_address("::ffff:192.168.1.1"));
}
