// Links to the EVE image server and third-party sites (dotlan, evewho,
// zKillboard), as Alliance Auth's evelinks module builds them.
#pragma once

#include <string>
#include <string_view>

#include "aa/export.hpp"

namespace aa::evelinks {

/// Image sizes the EVE image server accepts; other sizes are rounded up to the next one.
AA_SDK_API int image_size(int requested);

AA_SDK_API std::string character_portrait_url(long long character_id, int size = 32);
AA_SDK_API std::string corporation_logo_url(long long corporation_id, int size = 32);
AA_SDK_API std::string alliance_logo_url(long long alliance_id, int size = 32);
/// Factions use the corporation logo endpoint on the image server.
AA_SDK_API std::string faction_logo_url(long long faction_id, int size = 32);
AA_SDK_API std::string type_icon_url(long long type_id, int size = 32);
AA_SDK_API std::string type_render_url(long long type_id, int size = 32);

AA_SDK_API std::string dotlan_alliance_url(std::string_view name);
AA_SDK_API std::string dotlan_corporation_url(std::string_view name);
AA_SDK_API std::string dotlan_region_url(std::string_view name);
AA_SDK_API std::string dotlan_solar_system_url(std::string_view name);

AA_SDK_API std::string evewho_alliance_url(long long alliance_id);
AA_SDK_API std::string evewho_corporation_url(long long corporation_id);
AA_SDK_API std::string evewho_character_url(long long character_id);

AA_SDK_API std::string zkillboard_alliance_url(long long alliance_id);
AA_SDK_API std::string zkillboard_corporation_url(long long corporation_id);
AA_SDK_API std::string zkillboard_character_url(long long character_id);
AA_SDK_API std::string zkillboard_region_url(long long region_id);
AA_SDK_API std::string zkillboard_solar_system_url(long long solar_system_id);

}  // namespace aa::evelinks
