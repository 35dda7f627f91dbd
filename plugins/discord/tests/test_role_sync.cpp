// The rules that decide a member's roles.
#include <doctest/doctest.h>

#include "role_sync.hpp"

using discord_service::member_role_ids;
using discord_service::wanted_role_names;

namespace {

const aa::discord::Role everyone{1, "@everyone", false, 0};
const aa::discord::Role member_role{10, "Member", false, 1};
const aa::discord::Role capitals{11, "Capitals", false, 2};
const aa::discord::Role nitro{12, "Server Booster", true, 3};
const aa::discord::Role alpha{13, "Alpha", false, 4};
const aa::discord::Role old_group{14, "Old Group", false, 5};
const std::vector<aa::discord::Role> guild{everyone, member_role, capitals, nitro, alpha, old_group};

}  // namespace

TEST_CASE("wanted roles are the groups and the state") {
  auto names = wanted_role_names({"Capitals", "Fleet Commanders"}, "Member", {});
  REQUIRE(names.size() == 3);
  CHECK(names[0] == "Capitals");
  CHECK(names[1] == "Fleet Commanders");
  CHECK(names[2] == "Member");
}

TEST_CASE("wanted roles skip reserved names without case") {
  auto names = wanted_role_names({"ALPHA", "Capitals"}, "Member", {"alpha"});
  REQUIRE(names.size() == 2);
  CHECK(names[0] == "Capitals");
}

TEST_CASE("wanted roles cut names to 100 characters and drop duplicates") {
  auto names = wanted_role_names({std::string(120, 'g'), std::string(100, 'g')}, "", {});
  REQUIRE(names.size() == 1);
  CHECK(names[0].size() == 100);
}

TEST_CASE("member roles keep managed and reserved roles") {
  auto ids = member_role_ids({nitro.id, alpha.id, old_group.id}, guild, {member_role}, {"alpha"});
  CHECK(ids == std::vector<aa::discord::Snowflake>{nitro.id, alpha.id, member_role.id});
}

TEST_CASE("member roles keep reserved roles of any case") {
  const aa::discord::Role lower_alpha{15, "alpha", false, 6};
  auto roles = guild;
  roles.push_back(lower_alpha);
  auto ids = member_role_ids({alpha.id, lower_alpha.id}, roles, {}, {"alpha"});
  CHECK(ids == std::vector<aa::discord::Snowflake>{alpha.id, lower_alpha.id});
}

TEST_CASE("member roles drop roles the guild no longer has") {
  auto ids = member_role_ids({999, capitals.id}, guild, {capitals}, {});
  CHECK(ids == std::vector<aa::discord::Snowflake>{capitals.id});
}
