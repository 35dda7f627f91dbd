// Core's own tasks, named as upstream Alliance Auth names them:
//
//   allianceauth.eveonline.tasks.run_model_update         refresh every character, corporation and alliance
//   allianceauth.eveonline.tasks.update_corp              {"corporation_id": N}
//   allianceauth.eveonline.tasks.update_alliance          {"alliance_id": N}
//   allianceauth.eveonline.tasks.update_character_chunk   {"character_ids": [N, ...]} (up to 1000)
//   allianceauth.eveonline.tasks.update_character         {"character_id": N}
//   allianceauth.authentication.tasks.check_all_character_ownership
//   allianceauth.authentication.tasks.check_character_ownership  {"character_id": N}
//   allianceauth.authentication.tasks.update_all_states   re-check every user's state, in batches
//   allianceauth.authentication.tasks.update_states_batch {"first_user_id": N, "last_user_id": N}
//   allianceauth.authentication.tasks.send_activation_email {"activation_id": N}
#pragma once

#include "aa/registry.hpp"

namespace aa::core {

class App;

/// Registers the tasks above, and the reaction to Signal::state_rules_changed
/// that enqueues update_all_states.
void register_core_tasks(aa::Registry& registry, App& app);

/// Characters per /characters/affiliation/ call; ESI accepts up to 1000.
inline constexpr std::size_t kAffiliationBatch = 1000;
/// Users per update_states_batch task.
inline constexpr std::size_t kStateBatch = 1000;

void register_model_update_tasks(aa::Registry& registry, App& app);
void register_ownership_tasks(aa::Registry& registry, App& app);
void register_state_tasks(aa::Registry& registry, App& app);
void register_registration_tasks(aa::Registry& registry, App& app);

/// "" when `args` is an object whose `keys` are all integers, else the problem.
std::string require_integer_fields(const boost::json::value& args, std::initializer_list<const char*> keys);
long long integer_field(const boost::json::value& args, const char* key);
/// "" when `args` is null, {} or [], for tasks that take no arguments.
std::string require_no_arguments(const boost::json::value& args);

}  // namespace aa::core
