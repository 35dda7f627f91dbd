#include "aa/evelinks.hpp"

#include <array>

#include "aa/http_client.hpp"

namespace aa::evelinks {
namespace {

constexpr std::string_view kImageServer = "https://images.evetech.net";
constexpr std::string_view kDotlan = "https://evemaps.dotlan.net";
constexpr std::string_view kEvewho = "https://evewho.com";
constexpr std::string_view kZkillboard = "https://zkillboard.com";

std::string image_url(std::string_view category, long long id, std::string_view variant, int size) {
  return std::string(kImageServer) + "/" + std::string(category) + "/" + std::to_string(id) + "/" +
         std::string(variant) + "?size=" + std::to_string(image_size(size));
}

// dotlan writes spaces in names as underscores and percent-encodes the rest.
std::string dotlan_url(std::string_view kind, std::string_view name) {
  std::string underscored(name);
  for (auto& c : underscored) {
    if (c == ' ') c = '_';
  }
  return std::string(kDotlan) + "/" + std::string(kind) + "/" + url_encode(underscored);
}

std::string site_url(std::string_view site, std::string_view kind, long long id) {
  return std::string(site) + "/" + std::string(kind) + "/" + std::to_string(id) + "/";
}

}  // namespace

int image_size(int requested) {
  // The image server serves these sizes only.
  static constexpr std::array<int, 7> kSizes{32, 64, 128, 256, 512, 1024, 2048};
  for (int size : kSizes) {
    if (requested <= size) return size;
  }
  return kSizes.back();
}

std::string character_portrait_url(long long id, int size) { return image_url("characters", id, "portrait", size); }
std::string corporation_logo_url(long long id, int size) { return image_url("corporations", id, "logo", size); }
std::string alliance_logo_url(long long id, int size) { return image_url("alliances", id, "logo", size); }
std::string faction_logo_url(long long id, int size) { return image_url("corporations", id, "logo", size); }
std::string type_icon_url(long long id, int size) { return image_url("types", id, "icon", size); }
std::string type_render_url(long long id, int size) { return image_url("types", id, "render", size); }

std::string dotlan_alliance_url(std::string_view name) { return dotlan_url("alliance", name); }
std::string dotlan_corporation_url(std::string_view name) { return dotlan_url("corp", name); }
std::string dotlan_region_url(std::string_view name) { return dotlan_url("map", name); }
std::string dotlan_solar_system_url(std::string_view name) { return dotlan_url("system", name); }

std::string evewho_alliance_url(long long id) { return site_url(kEvewho, "alliance", id); }
std::string evewho_corporation_url(long long id) { return site_url(kEvewho, "corporation", id); }
std::string evewho_character_url(long long id) { return site_url(kEvewho, "character", id); }

std::string zkillboard_alliance_url(long long id) { return site_url(kZkillboard, "alliance", id); }
std::string zkillboard_corporation_url(long long id) { return site_url(kZkillboard, "corporation", id); }
std::string zkillboard_character_url(long long id) { return site_url(kZkillboard, "character", id); }
std::string zkillboard_region_url(long long id) { return site_url(kZkillboard, "region", id); }
std::string zkillboard_solar_system_url(long long id) { return site_url(kZkillboard, "system", id); }

}  // namespace aa::evelinks
