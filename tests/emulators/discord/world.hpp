// The Discord side the emulator keeps: one guild with its roles and
// members, the users who can authorize, and the bot. Not thread-safe; the
// emulator serializes requests.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aa::discord_emulator {

struct Role {
    std::string id;  // snowflake, sent as a JSON string
    std::string name;
    int position = 0;
    bool managed = false;
    boost::json::object json;  // every other field as recorded or created
};

struct Member {
    std::string user_id;
    std::optional<std::string> nick;
    std::vector<std::string> role_ids;  // without @everyone, as Discord sends them
    std::string joined_at;
};

// A failed guild operation: HTTP status, Discord's JSON error code, message
// and, for 50035 Invalid Form Body, the field that failed.
struct ApiError {
    unsigned status = 400;
    int code = 0;
    std::string message;
    std::string field;
};

// The result of an operation: nullopt on success, else the error.
using MaybeError = std::optional<ApiError>;

// The world as loaded from tests/data/discord/emulator_world.json and the
// recorded examples it names.
struct WorldData {
    boost::json::object guild;  // the recorded guild without roles
    boost::json::object bot_user;
    std::vector<boost::json::object> users;
    std::vector<Role> roles;
    std::vector<Member> members;
};

WorldData load_world(const std::filesystem::path& data_dir);

// Discord's limit on roles per guild (JSON error 30005).
inline constexpr std::size_t max_guild_roles = 250;
// Nicknames are 1 to 32 characters.
inline constexpr std::size_t max_nick_characters = 32;
// Role names are at most 100 characters.
inline constexpr std::size_t max_role_name_characters = 100;

class World {
public:
    explicit World(WorldData data);

    const std::string& guild_id() const { return guild_id_; }
    const std::string& bot_id() const { return bot_id_; }

    // GET /guilds/{id}: the recorded guild with the current roles.
    boost::json::object guild_json() const;
    boost::json::array roles_json() const;

    std::optional<boost::json::object> user_json(const std::string& user_id) const;
    const std::vector<boost::json::object>& users() const { return users_; }
    bool has_user(const std::string& user_id) const;

    const Member* find_member(const std::string& user_id) const;
    const Role* find_role(const std::string& role_id) const;
    boost::json::object member_json(const Member& member) const;

    // True while the bot is a member of the guild; without it every guild
    // route answers 403 Missing Access.
    bool bot_in_guild() const { return find_member(bot_id_) != nullptr; }
    // Puts the bot back into the guild with its managed role, as
    // authorizing the bot for the guild does.
    void add_bot();

    // Guild member routes. `created` tells a new member (201) from an
    // existing one (204).
    MaybeError add_member(const std::string& user_id, const std::optional<std::string>& nick,
                          const std::optional<std::vector<std::string>>& role_ids, std::int64_t now_ms,
                          bool& created);
    MaybeError modify_member(const std::string& user_id, const std::optional<std::optional<std::string>>& nick,
                             const std::optional<std::vector<std::string>>& role_ids);
    MaybeError remove_member(const std::string& user_id);
    MaybeError add_member_role(const std::string& user_id, const std::string& role_id);
    MaybeError remove_member_role(const std::string& user_id, const std::string& role_id);

    // Role routes.
    MaybeError create_role(const boost::json::object& body, std::int64_t now_ms, Role& created);
    MaybeError delete_role(const std::string& role_id);

    // Control routes: a role with any position and managed flag, and a
    // member with any roles, for tests that need a role above the bot's.
    MaybeError insert_role(const boost::json::object& body, std::int64_t now_ms, Role& created);
    MaybeError insert_member(const std::string& user_id, const std::vector<std::string>& role_ids,
                             const std::optional<std::string>& nick, std::int64_t now_ms);
    void remove_member_unchecked(const std::string& user_id);
    // `count` new users with ids from `first_id` up, each a member with
    // `role_ids`, for benchmarks that need a guild of thousands.
    MaybeError generate_members(std::uint64_t first_id, int count, const std::vector<std::string>& role_ids,
                                std::int64_t now_ms);

    // GET /guilds/{id}/members: up to `limit` members whose user id is
    // above `after`, in id order, as Discord pages them.
    std::vector<const Member*> list_members(const std::string& after, std::size_t limit) const;
    // Whether the bot's application has the privileged GUILD_MEMBERS
    // intent, without which Discord refuses the member list.
    bool members_intent() const { return members_intent_; }
    void set_members_intent(bool enabled) { members_intent_ = enabled; }

    // {"guild": ..., "members": [...], "roles": [...]} for GET /_emulator/state.
    boost::json::object state_json() const;

private:
    int top_position_of(const Member& member) const;
    int bot_top_position() const;
    MaybeError check_assignable(const std::string& role_id, const std::string& field) const;
    MaybeError check_manageable(const Member& member) const;
    MaybeError check_role_list(const std::vector<std::string>& role_ids) const;
    std::string next_snowflake(std::int64_t now_ms);
    Member* find_member_mutable(const std::string& user_id);

    boost::json::object guild_;
    std::string guild_id_;
    std::string owner_id_;
    std::string bot_id_;
    std::string bot_role_id_;
    boost::json::object bot_user_;
    std::vector<boost::json::object> users_;
    std::vector<Role> roles_;
    std::vector<Member> members_;
    std::uint64_t snowflake_increment_ = 0;
    bool members_intent_ = true;
};

// Counts Unicode code points in UTF-8 text, as Discord's length limits do.
std::size_t utf8_length(const std::string& text);

// "2026-12-04T23:46:42.000000+00:00", Discord's timestamp format.
std::string iso8601_utc_ms(std::int64_t unix_ms);

}  // namespace aa::discord_emulator
