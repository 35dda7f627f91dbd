#include "tasks/failure_notice.hpp"

#include <soci/soci.h>

#include "app/app.hpp"
#include "app/logging.hpp"
#include "auth/notifications.hpp"
#include "web/i18n.hpp"

namespace aa::core {
namespace {

std::string replace_all(std::string text, const std::string& key, const std::string& value) {
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size())) {
    text.replace(at, key.size(), value);
  }
  return text;
}

}  // namespace

void notify_superusers_of_failure(aa::Context& context, const std::string& task_name, const std::string& task_id,
                                  const std::string& error) {
  try {
    soci::session sql(context.database().pool());
    auto* app = dynamic_cast<App*>(&context);
    for (long long user_id : active_superuser_ids(sql)) {
      std::string language;
      sql << "SELECT language FROM user_profiles WHERE user_id = :id", soci::use(user_id), soci::into(language);
      auto translate = [&](const char* msgid) {
        if (!app) return std::string(msgid);
        auto& translator = app->translator();
        return translator.translate(language.empty() ? translator.default_language() : language, msgid);
      };
      auto title = replace_all(translate(gettext_noop("Task {task} failed")), "{task}", task_name);
      auto message = replace_all(
          replace_all(replace_all(translate(gettext_noop("The background task {task} ({id}) failed and will not run "
                                                         "again: {error}")),
                                  "{task}", task_name),
                      "{id}", task_id),
          "{error}", error);
      context.notifier().notify_user(user_id, title, message, NotificationLevel::danger);
    }
  } catch (const std::exception& failure) {
    core_log().error("could not notify superusers that task {} ({}) failed: {}", task_name, task_id, failure.what());
  }
}

}  // namespace aa::core
