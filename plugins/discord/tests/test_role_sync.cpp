// The rules that decide a member's roles.
#include <doctest/doctest.h>

#include "role_sync.hpp"

using discord_service::fold_all;
using discord_service::highest_position;
using discord_service::is_above_bot;
using discord_service::member_role_ids;
using discord_service::roles_blocked_by_bot;
using discord_service::wanted_roles;

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
  auto roles = wanted_roles({{7, "Capitals"}, {8, "Fleet Commanders"}}, 3, "Member", {});
  REQUIRE(roles.size() == 3);
  CHECK(roles[0].name == "Capitals");
  CHECK_FALSE(roles[0].from_state);
  CHECK(roles[0].source_id == 7);
  CHECK(roles[1].name == "Fleet Commanders");
  CHECK(roles[2].name == "Member");
  CHECK(roles[2].from_state);
  CHECK(roles[2].source_id == 3);
}

TEST_CASE("wanted roles skip reserved names without case") {
  auto roles = wanted_roles({{7, "ALPHA"}, {8, "Capitals"}}, 3, "Member", fold_all({"alpha"}));
  REQUIRE(roles.size() == 2);
  CHECK(roles[0].name == "Capitals");
  CHECK(roles[1].name == "Member");
}

TEST_CASE("wanted roles skip reserved names by Unicode case folding") {
  // Case folding maps Ä to ä and ß to ss, so all three are one name.
  auto roles = wanted_roles({{7, "ÄRGER STRASSE"}, {8, "Ärger Straße"}}, 0, "", fold_all({"ärger strasse"}));
  CHECK(roles.empty());
}

TEST_CASE("wanted roles cut names to 100 characters and drop duplicates") {
  auto roles = wanted_roles({{7, std::string(120, 'g')}, {8, std::string(100, 'g')}}, 0, "", {});
  REQUIRE(roles.size() == 1);
  CHECK(roles[0].name.size() == 100);
  CHECK(roles[0].source_name.size() == 120);
}

TEST_CASE("wanted roles without a state give no state role") {
  auto roles = wanted_roles({{7, "Capitals"}}, 0, "", {});
  REQUIRE(roles.size() == 1);
  CHECK(roles[0].name == "Capitals");
}

TEST_CASE("member roles keep managed and reserved roles") {
  auto ids = member_role_ids({nitro.id, alpha.id, old_group.id}, guild, {member_role}, fold_all({"alpha"}));
  CHECK(ids == std::vector<aa::discord::Snowflake>{nitro.id, alpha.id, member_role.id});
}

TEST_CASE("member roles keep reserved roles of any case") {
  const aa::discord::Role lower_alpha{15, "alpha", false, 6};
  auto roles = guild;
  roles.push_back(lower_alpha);
  auto ids = member_role_ids({alpha.id, lower_alpha.id}, roles, {}, fold_all({"ALPHA"}));
  CHECK(ids == std::vector<aa::discord::Snowflake>{alpha.id, lower_alpha.id});
}

TEST_CASE("member roles drop roles the guild no longer has") {
  auto ids = member_role_ids({999, capitals.id}, guild, {capitals}, {});
  CHECK(ids == std::vector<aa::discord::Snowflake>{capitals.id});
}

TEST_CASE("bot position is its highest role") {
  CHECK(highest_position(guild, {member_role.id, alpha.id, capitals.id}) == alpha.position);
  CHECK(highest_position(guild, {nitro.id}) == nitro.position);
}

TEST_CASE("bot position without known roles is 0") {
  CHECK(highest_position(guild, {}) == 0);
  CHECK(highest_position(guild, {999}) == 0);
}

TEST_CASE("roles at or above the bot are above it") {
  CHECK(is_above_bot(alpha, 4));
  CHECK(is_above_bot(old_group, 4));
  CHECK_FALSE(is_above_bot(capitals, 4));
  // An unknown position leaves the check to Discord.
  CHECK_FALSE(is_above_bot(old_group, std::nullopt));
}

TEST_CASE("member roles skip giving a role above the bot") {
  // The bot's highest role is "Server Booster" at 3, so "Alpha" (4) is above it.
  auto ids = member_role_ids({}, guild, {alpha, capitals}, {}, nitro.position);
  CHECK(ids == std::vector<aa::discord::Snowflake>{capitals.id});
}

TEST_CASE("member roles keep a role above the bot") {
  // Auth would take "Old Group" (5), but it sits above the bot.
  auto ids = member_role_ids({old_group.id, capitals.id}, guild, {member_role}, {}, nitro.position);
  CHECK(ids == std::vector<aa::discord::Snowflake>{old_group.id, member_role.id});
}

TEST_CASE("member roles keep a wanted role above the bot") {
  auto ids = member_role_ids({alpha.id}, guild, {alpha, member_role}, {}, nitro.position);
  CHECK(ids == std::vector<aa::discord::Snowflake>{alpha.id, member_role.id});
}

TEST_CASE("blocked roles are given or taken ones above the bot") {
  // Alpha is wanted and missing, Old Group would be taken, and Capitals
  // would be taken but sits below the bot.
  auto blocked = roles_blocked_by_bot({old_group.id, capitals.id}, guild, {alpha, member_role}, {}, nitro.position);
  REQUIRE(blocked.size() == 2);
  CHECK(blocked[0].id == alpha.id);
  CHECK(blocked[1].id == old_group.id);

  // A reserved role stays anyway, so the bot's position does not block it.
  auto reserved = roles_blocked_by_bot({old_group.id}, guild, {}, fold_all({"old group"}), nitro.position);
  CHECK(reserved.empty());
}

TEST_CASE("blocked roles skip ones the member keeps") {
  CHECK(roles_blocked_by_bot({alpha.id}, guild, {alpha}, {}, nitro.position).empty());
}

TEST_CASE("blocked roles are none without a position") {
  CHECK(roles_blocked_by_bot({old_group.id}, guild, {alpha}, {}, std::nullopt).empty());
}
