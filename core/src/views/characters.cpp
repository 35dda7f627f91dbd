// Adding characters and choosing the main character.
#include <charconv>

#include "aa/evelinks.hpp"
#include "aa/template.hpp"
#include "app/app.hpp"
#include "http/request.hpp"
#include "views/sso_flow.hpp"
#include "views/views.hpp"
#include "web/layout.hpp"

namespace aa::core::views {
namespace {

CoreRequest& core(Request& request) { return static_cast<CoreRequest&>(request); }

}  // namespace

Response add_character(Request& request) {
  auto& host = core(request);
  return start_sso(host, SsoPurpose::add_character, host.host().options().login_scopes);
}

Response change_main_sso(Request& request) {
  auto& host = core(request);
  return start_sso(host, SsoPurpose::change_main, host.host().options().login_scopes);
}

Response change_main_page(Request& request) {
  auto& host = core(request);
  const auto* snapshot = host.snapshot();

  if (request.method() == Method::post) {
    long long character_id = 0;
    auto id_text = request.form("character_id").value_or("");
    auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), character_id);
    if (ec != std::errc() || end != id_text.data() + id_text.size() || character_id <= 0) {
      return render_error(host, 400, request.translate("Choose one of your characters."));
    }
    OwnershipResult result;
    {
      auto& sql = request.db();
      aa::WriteTransaction transaction(sql);
      result = host.host().ownership().change_main(sql, snapshot->user.id, character_id);
      transaction.commit();
    }
    for (const auto& event : result.events) host.host().emit(event);
    std::string name = std::to_string(character_id);
    for (const auto& character : snapshot->characters) {
      if (character.character_id == character_id) name = character.character_name;
    }
    auto text = request.translate(result.message);
    if (auto at = text.find("{name}"); at != std::string::npos) text.replace(at, 6, name);
    request.add_message(result.ok ? MessageLevel::success : MessageLevel::error, text);
    if (!result.ok) return Response::redirect(request.url_for("authentication:change_main_character"));
    return Response::redirect(request.url_for("authentication:dashboard"));
  }

  TemplateData data;
  data.set("TITLE", request.translate("Change main character"));
  data.set("ACTION_URL", request.url_for("authentication:change_main_character"));
  data.set("SSO_URL", request.url_for("authentication:change_main_sso"));
  data.set("ADD_CHARACTER_URL", request.url_for("authentication:add_character"));
  if (snapshot->characters.empty()) data.show("NO_CHARACTERS");
  for (const auto& character : snapshot->characters) {
    auto& row = data.add_row("CHARACTER");
    row.set("ID", character.character_id);
    row.set("NAME", character.character_name);
    row.set("PORTRAIT_URL", evelinks::character_portrait_url(character.character_id, 64));
    row.set("CORPORATION_NAME", character.corporation_name);
    row.set("ALLIANCE_NAME", character.alliance_name);
    bool is_main = snapshot->user.main_character &&
                   snapshot->user.main_character->character_id == character.character_id;
    row.show_if(is_main ? "IS_MAIN" : "CAN_CHOOSE", true);
  }
  return request.render("allianceauth/change_main.html", data);
}

}  // namespace aa::core::views
