#include "world.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace aa::discord_emulator {

namespace {

// Discord's epoch, 2015-01-01T00:00:00Z, in Unix milliseconds.
constexpr std::int64_t discord_epoch_ms = 1420070400000;

boost::json::value read_json_file(const std::filesystem::path& path) {
    std::ifstream file(path);
    if (!file) {
        throw std::runtime_error("cannot open " + path.string());
    }
    std::stringstream text;
    text << file.rdbuf();
    boost::system::error_code error;
    auto value = boost::json::parse(text.str(), error);
    if (error) {
        throw std::runtime_error(path.string() + " is not valid JSON: " + error.message());
    }
    return value;
}

// An entry is either the object itself or {"from_file": "name.json"}.
boost::json::object resolve_entry(const boost::json::value& entry, const std::filesystem::path& data_dir) {
    const auto& object = entry.as_object();
    if (auto file = object.if_contains("from_file")) {
        return read_json_file(data_dir / std::string(file->as_string())).as_object();
    }
    return object;
}

Role role_from_json(boost::json::object json) {
    Role role;
    role.id = std::string(json.at("id").as_string());
    role.name = std::string(json.at("name").as_string());
    role.position = static_cast<int>(json.at("position").to_number<long long>());
    role.managed = json.at("managed").as_bool();
    role.json = std::move(json);
    return role;
}

boost::json::object role_to_json(const Role& role) {
    auto json = role.json;
    json["id"] = role.id;
    json["name"] = role.name;
    json["position"] = role.position;
    json["managed"] = role.managed;
    return json;
}

ApiError missing_permissions() { return ApiError{403, 50013, "Missing Permissions", {}}; }

ApiError invalid_role() { return ApiError{400, 50028, "Invalid Role", {}}; }

ApiError unknown_member() { return ApiError{404, 10007, "Unknown Member", {}}; }

ApiError unknown_role() { return ApiError{404, 10011, "Unknown Role", {}}; }

ApiError invalid_form(std::string field, std::string message) {
    return ApiError{400, 50035, std::move(message), std::move(field)};
}

// True when `text` has a character that is not white space, a control
// character or a zero-width or other non-rendering character
// (Default_Ignorable_Code_Point). Discord trims names of white space and
// limits non-rendering characters, so a nickname of only those is left
// below its 1-character minimum.
bool has_visible_character(const std::string& text) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    auto length = static_cast<int32_t>(text.size());
    for (int32_t offset = 0; offset < length;) {
        UChar32 c = 0;
        U8_NEXT(bytes, offset, length, c);
        if (c >= 0 && !u_isUWhiteSpace(c) && u_charType(c) != U_CONTROL_CHAR &&
            !u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
            return true;
        }
    }
    return false;
}

// An empty nick means no nickname, as Discord treats it.
MaybeError check_nick(const std::optional<std::string>& nick) {
    if (nick && utf8_length(*nick) > max_nick_characters) {
        return invalid_form("nick", "Must be " + std::to_string(max_nick_characters) + " or fewer in length.");
    }
    if (nick && !nick->empty() && !has_visible_character(*nick)) {
        return invalid_form("nick", "Must be between 1 and " + std::to_string(max_nick_characters) + " in length.");
    }
    return std::nullopt;
}

}  // namespace

std::size_t utf8_length(const std::string& text) {
    std::size_t count = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) != 0x80) {
            ++count;
        }
    }
    return count;
}

std::string iso8601_utc_ms(std::int64_t unix_ms) {
    std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%03d000+00:00", static_cast<int>(unix_ms % 1000));
    return std::string(text) + fraction;
}

WorldData load_world(const std::filesystem::path& data_dir) {
    auto world_file = data_dir / "emulator_world.json";
    auto world = read_json_file(world_file).as_object();

    WorldData data;
    data.guild = read_json_file(data_dir / std::string(world.at("guild_file").as_string())).as_object();
    data.guild.erase("roles");
    data.bot_user = world.at("bot").as_object();
    for (const auto& entry : world.at("users").as_array()) {
        data.users.push_back(resolve_entry(entry, data_dir));
    }
    for (const auto& entry : world.at("roles").as_array()) {
        data.roles.push_back(role_from_json(resolve_entry(entry, data_dir)));
    }
    for (const auto& entry : world.at("members").as_array()) {
        const auto& object = entry.as_object();
        Member member;
        member.user_id = std::string(object.at("user_id").as_string());
        if (object.at("nick").is_string()) {
            member.nick = std::string(object.at("nick").as_string());
        }
        for (const auto& role : object.at("roles").as_array()) {
            member.role_ids.emplace_back(role.as_string());
        }
        member.joined_at = std::string(object.at("joined_at").as_string());
        data.members.push_back(std::move(member));
    }
    return data;
}

World::World(WorldData data)
    : guild_(std::move(data.guild)),
      bot_user_(std::move(data.bot_user)),
      users_(std::move(data.users)),
      roles_(std::move(data.roles)),
      members_(std::move(data.members)) {
    guild_id_ = std::string(guild_.at("id").as_string());
    owner_id_ = std::string(guild_.at("owner_id").as_string());
    bot_id_ = std::string(bot_user_.at("id").as_string());
    for (const auto& role : roles_) {
        auto tags = role.json.if_contains("tags");
        auto bot_tag = tags && tags->is_object() ? tags->as_object().if_contains("bot_id") : nullptr;
        if (bot_tag && bot_tag->is_string() && bot_tag->as_string() == bot_id_) {
            bot_role_id_ = role.id;
        }
    }
    if (bot_role_id_.empty()) {
        throw std::runtime_error("the emulator world has no role with tags.bot_id " + bot_id_);
    }
}

boost::json::object World::guild_json() const {
    auto json = guild_;
    json["roles"] = roles_json();
    return json;
}

boost::json::array World::roles_json() const {
    auto sorted = roles_;
    std::sort(sorted.begin(), sorted.end(), [](const Role& a, const Role& b) { return a.position < b.position; });
    boost::json::array roles;
    for (const auto& role : sorted) {
        roles.push_back(role_to_json(role));
    }
    return roles;
}

std::optional<boost::json::object> World::user_json(const std::string& user_id) const {
    if (user_id == bot_id_) {
        return bot_user_;
    }
    for (const auto& user : users_) {
        if (user.at("id").as_string() == user_id) {
            return user;
        }
    }
    return std::nullopt;
}

bool World::has_user(const std::string& user_id) const { return user_json(user_id).has_value(); }

const Member* World::find_member(const std::string& user_id) const {
    for (const auto& member : members_) {
        if (member.user_id == user_id) {
            return &member;
        }
    }
    return nullptr;
}

Member* World::find_member_mutable(const std::string& user_id) {
    return const_cast<Member*>(find_member(user_id));
}

const Role* World::find_role(const std::string& role_id) const {
    for (const auto& role : roles_) {
        if (role.id == role_id) {
            return &role;
        }
    }
    return nullptr;
}

boost::json::object World::member_json(const Member& member) const {
    boost::json::array roles;
    for (const auto& id : member.role_ids) {
        roles.emplace_back(id);
    }
    boost::json::object json{
        {"user", user_json(member.user_id).value_or(boost::json::object{})},
        {"avatar", nullptr},
        {"banner", nullptr},
        {"roles", std::move(roles)},
        {"joined_at", member.joined_at},
        {"deaf", false},
        {"mute", false},
        {"flags", 0},
        {"pending", false},
    };
    json["nick"] = member.nick ? boost::json::value(*member.nick) : nullptr;
    return json;
}

void World::add_bot() {
    if (auto bot = find_member_mutable(bot_id_)) {
        if (std::find(bot->role_ids.begin(), bot->role_ids.end(), bot_role_id_) == bot->role_ids.end()) {
            bot->role_ids.push_back(bot_role_id_);
        }
        return;
    }
    members_.push_back(Member{bot_id_, std::nullopt, {bot_role_id_}, iso8601_utc_ms(0)});
}

int World::top_position_of(const Member& member) const {
    int top = 0;
    for (const auto& id : member.role_ids) {
        if (auto role = find_role(id)) {
            top = std::max(top, role->position);
        }
    }
    return top;
}

int World::bot_top_position() const {
    auto bot = find_member(bot_id_);
    return bot ? top_position_of(*bot) : 0;
}

// A role the bot may give or take: it exists, is not @everyone, is not
// managed by an integration, and sits below the bot's highest role.
MaybeError World::check_assignable(const std::string& role_id, const std::string& field) const {
    auto role = find_role(role_id);
    if (!role) {
        return field.empty() ? unknown_role() : invalid_form(field, "Unknown role " + role_id + ".");
    }
    if (role->id == guild_id_ || role->managed) {
        return invalid_role();
    }
    if (role->position >= bot_top_position()) {
        return missing_permissions();
    }
    return std::nullopt;
}

// A member the bot may rename or kick: not the owner, and with a highest
// role below the bot's.
MaybeError World::check_manageable(const Member& member) const {
    if (member.user_id == bot_id_) {
        return std::nullopt;
    }
    if (member.user_id == owner_id_ || top_position_of(member) >= bot_top_position()) {
        return missing_permissions();
    }
    return std::nullopt;
}

MaybeError World::check_role_list(const std::vector<std::string>& role_ids) const {
    for (const auto& id : role_ids) {
        if (auto error = check_assignable(id, "roles")) {
            return error;
        }
    }
    return std::nullopt;
}

std::string World::next_snowflake(std::int64_t now_ms) {
    auto value = (static_cast<std::uint64_t>(now_ms - discord_epoch_ms) << 22) | (snowflake_increment_++ & 0xFFF);
    return std::to_string(value);
}

MaybeError World::add_member(const std::string& user_id, const std::optional<std::string>& nick,
                             const std::optional<std::vector<std::string>>& role_ids, std::int64_t now_ms,
                             bool& created) {
    created = false;
    if (find_member(user_id)) {
        return std::nullopt;
    }
    if (auto error = check_nick(nick)) {
        return error;
    }
    if (role_ids) {
        if (auto error = check_role_list(*role_ids)) {
            return error;
        }
    }

    Member member{user_id, nick && !nick->empty() ? nick : std::nullopt, {}, iso8601_utc_ms(now_ms)};
    if (role_ids) {
        for (const auto& id : *role_ids) {
            if (std::find(member.role_ids.begin(), member.role_ids.end(), id) == member.role_ids.end()) {
                member.role_ids.push_back(id);
            }
        }
    }
    members_.push_back(std::move(member));
    created = true;
    return std::nullopt;
}

MaybeError World::modify_member(const std::string& user_id,
                                const std::optional<std::optional<std::string>>& nick,
                                const std::optional<std::vector<std::string>>& role_ids) {
    auto member = find_member_mutable(user_id);
    if (!member) {
        return unknown_member();
    }

    if (nick) {
        if (auto error = check_nick(*nick)) {
            return error;
        }
        if (auto error = check_manageable(*member)) {
            return error;
        }
    }

    std::vector<std::string> new_roles;
    if (role_ids) {
        for (const auto& id : *role_ids) {
            if (std::find(new_roles.begin(), new_roles.end(), id) == new_roles.end()) {
                new_roles.push_back(id);
            }
        }
        // Discord checks only the roles that change hands, so a member
        // keeps a managed or higher role that the list repeats.
        for (const auto& id : new_roles) {
            bool had = std::find(member->role_ids.begin(), member->role_ids.end(), id) != member->role_ids.end();
            if (!had) {
                if (auto error = check_assignable(id, "roles")) {
                    return error;
                }
            }
        }
        for (const auto& id : member->role_ids) {
            if (std::find(new_roles.begin(), new_roles.end(), id) == new_roles.end()) {
                if (auto error = check_assignable(id, "roles")) {
                    return error;
                }
            }
        }
    }

    if (nick) {
        member->nick = *nick && !(*nick)->empty() ? *nick : std::nullopt;
    }
    if (role_ids) {
        member->role_ids = std::move(new_roles);
    }
    return std::nullopt;
}

MaybeError World::remove_member(const std::string& user_id) {
    auto member = find_member(user_id);
    if (!member) {
        return unknown_member();
    }
    if (auto error = check_manageable(*member)) {
        return error;
    }
    remove_member_unchecked(user_id);
    return std::nullopt;
}

void World::remove_member_unchecked(const std::string& user_id) {
    members_.erase(std::remove_if(members_.begin(), members_.end(),
                                  [&](const Member& m) { return m.user_id == user_id; }),
                   members_.end());
}

MaybeError World::add_member_role(const std::string& user_id, const std::string& role_id) {
    auto member = find_member_mutable(user_id);
    if (!member) {
        return unknown_member();
    }
    if (auto error = check_assignable(role_id, "")) {
        return error;
    }
    if (std::find(member->role_ids.begin(), member->role_ids.end(), role_id) == member->role_ids.end()) {
        member->role_ids.push_back(role_id);
    }
    return std::nullopt;
}

MaybeError World::remove_member_role(const std::string& user_id, const std::string& role_id) {
    auto member = find_member_mutable(user_id);
    if (!member) {
        return unknown_member();
    }
    if (auto error = check_assignable(role_id, "")) {
        return error;
    }
    auto& ids = member->role_ids;
    ids.erase(std::remove(ids.begin(), ids.end(), role_id), ids.end());
    return std::nullopt;
}

MaybeError World::create_role(const boost::json::object& body, std::int64_t now_ms, Role& created) {
    if (roles_.size() >= max_guild_roles) {
        return ApiError{400, 30005, "Maximum number of guild roles reached (250)", {}};
    }

    std::string name = "new role";
    if (auto value = body.if_contains("name"); value && !value->is_null()) {
        if (!value->is_string()) {
            return invalid_form("name", "Could not interpret the name as a string.");
        }
        name = std::string(value->as_string());
    }
    if (utf8_length(name) > max_role_name_characters) {
        return invalid_form("name", "Must be " + std::to_string(max_role_name_characters) + " or fewer in length.");
    }

    // A new role goes to position 1, just above @everyone.
    for (auto& role : roles_) {
        if (role.position >= 1) {
            ++role.position;
        }
    }
    Role role;
    role.id = next_snowflake(now_ms);
    role.name = name;
    role.position = 1;
    role.managed = false;
    auto text = [&](const char* key, boost::json::value fallback) {
        auto value = body.if_contains(key);
        return value && !value->is_null() ? *value : fallback;
    };
    role.json = boost::json::object{
        {"color", text("color", 0)},       {"hoist", text("hoist", false)},
        {"icon", nullptr},                 {"unicode_emoji", nullptr},
        {"permissions", text("permissions", "0")}, {"mentionable", text("mentionable", false)},
        {"flags", 0},
    };
    roles_.push_back(role);
    created = role;
    return std::nullopt;
}

MaybeError World::delete_role(const std::string& role_id) {
    auto role = find_role(role_id);
    if (!role) {
        return unknown_role();
    }
    if (role->id == guild_id_ || role->managed) {
        return invalid_role();
    }
    if (role->position >= bot_top_position()) {
        return missing_permissions();
    }

    int position = role->position;
    roles_.erase(std::remove_if(roles_.begin(), roles_.end(), [&](const Role& r) { return r.id == role_id; }),
                 roles_.end());
    for (auto& other : roles_) {
        if (other.position > position) {
            --other.position;
        }
    }
    for (auto& member : members_) {
        auto& ids = member.role_ids;
        ids.erase(std::remove(ids.begin(), ids.end(), role_id), ids.end());
    }
    return std::nullopt;
}

MaybeError World::insert_role(const boost::json::object& body, std::int64_t now_ms, Role& created) {
    auto name = body.if_contains("name");
    auto position = body.if_contains("position");
    auto managed = body.if_contains("managed");
    if (!name || !name->is_string() || !position || !position->is_int64() || position->as_int64() < 1 ||
        (managed && !managed->is_bool())) {
        return invalid_form("name", "body must be {\"name\": \"...\", \"position\": N >= 1, \"managed\": bool}");
    }

    int at = static_cast<int>(std::min<std::int64_t>(position->as_int64(), static_cast<std::int64_t>(roles_.size())));
    for (auto& role : roles_) {
        if (role.position >= at) {
            ++role.position;
        }
    }
    Role role;
    role.id = next_snowflake(now_ms);
    role.name = std::string(name->as_string());
    role.position = at;
    role.managed = managed && managed->as_bool();
    role.json = boost::json::object{{"color", 0},   {"hoist", false},      {"icon", nullptr},
                                    {"unicode_emoji", nullptr}, {"permissions", "0"}, {"mentionable", false},
                                    {"flags", 0}};
    roles_.push_back(role);
    created = role;
    return std::nullopt;
}

MaybeError World::insert_member(const std::string& user_id, const std::vector<std::string>& role_ids,
                                const std::optional<std::string>& nick, std::int64_t now_ms) {
    if (!has_user(user_id)) {
        return invalid_form("user_id", "Unknown user " + user_id + ".");
    }
    for (const auto& id : role_ids) {
        if (!find_role(id)) {
            return invalid_form("roles", "Unknown role " + id + ".");
        }
    }
    if (auto member = find_member_mutable(user_id)) {
        member->role_ids = role_ids;
        member->nick = nick;
        return std::nullopt;
    }
    members_.push_back(Member{user_id, nick, role_ids, iso8601_utc_ms(now_ms)});
    return std::nullopt;
}

MaybeError World::generate_members(std::uint64_t first_id, int count, const std::vector<std::string>& role_ids,
                                   std::int64_t now_ms) {
    for (const auto& id : role_ids) {
        if (!find_role(id)) {
            return invalid_form("roles", "Unknown role " + id + ".");
        }
    }
    // One set of the known ids, so that thousands of new users cost no
    // search through the list each.
    std::set<std::string> taken{bot_id_};
    for (const auto& user : users_) {
        taken.insert(std::string(user.at("id").as_string()));
    }
    for (int i = 0; i < count; ++i) {
        if (taken.count(std::to_string(first_id + static_cast<std::uint64_t>(i)))) {
            return invalid_form("first_id", "User " + std::to_string(first_id + static_cast<std::uint64_t>(i)) +
                                                " exists already; pick ids above every existing user.");
        }
    }

    for (int i = 0; i < count; ++i) {
        auto id = std::to_string(first_id + static_cast<std::uint64_t>(i));
        users_.push_back(boost::json::object{{"id", id},
                                             {"username", "member" + id},
                                             {"discriminator", "0"},
                                             {"global_name", nullptr},
                                             {"avatar", nullptr}});
        members_.push_back(Member{id, std::nullopt, role_ids, iso8601_utc_ms(now_ms)});
    }
    return std::nullopt;
}

std::vector<const Member*> World::list_members(const std::string& after, std::size_t limit) const {
    // Snowflakes are decimal strings: a shorter one is the smaller number.
    auto less = [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    };
    std::vector<const Member*> sorted;
    for (const auto& member : members_) {
        if (less(after, member.user_id)) {
            sorted.push_back(&member);
        }
    }
    std::sort(sorted.begin(), sorted.end(),
              [&](const Member* a, const Member* b) { return less(a->user_id, b->user_id); });
    if (sorted.size() > limit) {
        sorted.resize(limit);
    }
    return sorted;
}

boost::json::object World::state_json() const {
    boost::json::array members;
    for (const auto& member : members_) {
        members.push_back(member_json(member));
    }
    return boost::json::object{
        {"guild", boost::json::object{{"id", guild_id_}, {"name", guild_.at("name")}, {"owner_id", owner_id_}}},
        {"bot_id", bot_id_},
        {"roles", roles_json()},
        {"members", std::move(members)},
    };
}

}  // namespace aa::discord_emulator
