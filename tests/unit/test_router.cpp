#include <doctest/doctest.h>

#include <stdexcept>

#include "http/router.hpp"

using aa::core::Router;

namespace {

aa::Response ok(aa::Request&) { return aa::Response::text("ok"); }

aa::UrlHook timer_hook() {
  return {.url_namespace = "timerboard",
          .base_path = "/timers/",
          .routes = {{.pattern = "", .name = "view", .view = ok},
                     {.pattern = "edit/<int:id>/", .name = "edit", .view = ok},
                     {.pattern = "by/<str:name>/", .name = "by_name", .view = ok}}};
}

}  // namespace

TEST_CASE("router rejects a malformed pattern") {
  Router router;
  aa::UrlHook hook{.url_namespace = "x", .base_path = "/x/", .routes = {{.pattern = "<float:id>/", .name = "a", .view = ok}}};
  CHECK_THROWS_WITH_AS(router.add("x", hook), doctest::Contains("unknown parameter type 'float'"), std::invalid_argument);
  CHECK(router.routes().empty());
}

TEST_CASE("router rejects a base path without slashes") {
  Router router;
  aa::UrlHook hook{.url_namespace = "x", .base_path = "x", .routes = {{.pattern = "", .name = "a", .view = ok}}};
  CHECK_THROWS_AS(router.add("x", hook), std::invalid_argument);
}

TEST_CASE("router rejects a duplicate route name") {
  Router router;
  router.add("timerboard", timer_hook());
  CHECK_THROWS_WITH_AS(router.add("other", timer_hook()), doctest::Contains("duplicate URL name 'timerboard:view'"),
                       std::invalid_argument);
  CHECK(router.routes().size() == 3);
}

TEST_CASE("router matches typed parameters") {
  Router router;
  router.add("timerboard", timer_hook());

  auto match = router.match("/timers/edit/42/");
  REQUIRE(match);
  CHECK(match->route->full_name == "timerboard:edit");
  REQUIRE(match->params.size() == 1);
  CHECK(match->params[0].second == "42");

  CHECK_FALSE(router.match("/timers/edit/abc/"));
  CHECK_FALSE(router.match("//timers/edit/42/"));
  CHECK_FALSE(router.match("/timers//edit/42/"));
  CHECK_FALSE(router.match("timers/edit/42/"));
  CHECK_FALSE(router.match("/timers/edit/-1/"));
  CHECK_FALSE(router.match("/timers/edit/42"));
  CHECK_FALSE(router.match("/timers/edit/42/extra/"));
}

TEST_CASE("router decodes string parameters") {
  Router router;
  router.add("timerboard", timer_hook());
  auto match = router.match("/timers/by/Mira%20O%27Sullivan/");
  REQUIRE(match);
  CHECK(match->params[0].second == "Mira O'Sullivan");
  // An encoded slash stays inside one segment.
  auto slash = router.match("/timers/by/a%2Fb/");
  REQUIRE(slash);
  CHECK(slash->params[0].second == "a/b");
}

TEST_CASE("router reverses names with parameters") {
  Router router;
  router.add("timerboard", timer_hook());
  CHECK(router.reverse("timerboard:view") == "/timers/");
  CHECK(router.reverse("timerboard:edit", {{"id", "7"}}) == "/timers/edit/7/");
  CHECK(router.reverse("timerboard:by_name", {{"name", "a b/c"}}) == "/timers/by/a%20b%2Fc/");
  CHECK_THROWS_AS(router.reverse("timerboard:edit"), std::out_of_range);
  CHECK_THROWS_AS(router.reverse("timerboard:nope"), std::out_of_range);
}
