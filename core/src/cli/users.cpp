#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <iostream>

#include "auth/accounts.hpp"
#include "auth/passwords.hpp"
#include "cli/bootstrap.hpp"

namespace aa::core::cli {
namespace {

// Thrown when standard input ends before a question is answered; without
// it, a script piping too few lines would be asked again forever.
struct InputEnded : std::runtime_error {
  InputEnded() : std::runtime_error("standard input ended before every question was answered") {}
};

std::string prompt(const std::string& question) {
  std::cout << question << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) throw InputEnded();
  return answer;
}

// Reads a line without echo when stdin is a terminal.
std::string prompt_secret(const std::string& question) {
  std::cout << question << std::flush;
  termios old_mode{};
  bool terminal = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (terminal) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string answer;
  bool read = static_cast<bool>(std::getline(std::cin, answer));
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
    std::cout << "\n";
  }
  if (!read) throw InputEnded();
  return answer;
}

// The rules of Django's default validators that matter most.
std::optional<std::string> password_problem(const std::string& password, const std::string& username) {
  if (password.size() < 8) return "This password is too short. It must contain at least 8 characters.";
  if (std::all_of(password.begin(), password.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return "This password is entirely numeric.";
  }
  if (password == username) return "The password is too similar to the username.";
  return std::nullopt;
}

bool valid_email(const std::string& email) {
  if (email.empty()) return true;  // Optional, as upstream.
  bool printable = std::none_of(email.begin(), email.end(),
                                [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
  auto at = email.find('@');
  return printable && at != std::string::npos && at > 0 && email.find('.', at) != std::string::npos &&
         email.size() <= 254;
}

}  // namespace

int createsuperuser(const GlobalOptions& options, const std::vector<std::string>& args) {
  std::string username;
  std::string email;
  std::optional<std::string> password;
  bool interactive = true;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (arg == "--noinput" || arg == "--no-input") {
      interactive = false;
    } else if (arg == "--username") {
      auto v = value();
      if (!v) return std::cerr << "--username needs a value\n", 2;
      username = *v;
    } else if (arg == "--email") {
      auto v = value();
      if (!v) return std::cerr << "--email needs a value\n", 2;
      email = *v;
    } else if (arg == "--password-env") {
      auto v = value();
      if (!v) return std::cerr << "--password-env needs the name of an environment variable\n", 2;
      const char* from_env = std::getenv(v->c_str());
      if (!from_env) return std::cerr << "environment variable " << *v << " is not set\n", 2;
      password = from_env;
    } else {
      std::cerr << "createsuperuser: unknown argument '" << arg << "'\n"
                << "usage: allianceauth createsuperuser [--username U] [--email E] [--password-env VAR] [--noinput]\n";
      return 2;
    }
  }
  if (!interactive && !password) {
    if (const char* from_env = std::getenv("AA_SUPERUSER_PASSWORD")) password = from_env;
  }

  auto app = bootstrap_migrated(options);
  if (!app) return 1;
  soci::session sql(app->db().pool());

  // Ask for what is missing, repeating a question until the answer is valid.
  while (true) {
    if (username.empty() && interactive) username = prompt("Username: ");
    auto problem = username_problem(username);
    if (!problem && find_user_id(sql, username)) problem = "That username is already taken.";
    if (!problem) break;
    std::cerr << "Error: " << *problem << "\n";
    if (!interactive) return 1;
    username.clear();
  }
  while (true) {
    if (email.empty() && interactive) email = prompt("Email address: ");
    if (valid_email(email)) break;
    std::cerr << "Error: '" << email << "' is not a valid email address.\n";
    if (!interactive) return 1;
    email.clear();
  }
  while (true) {
    if (!password) {
      if (!interactive) {
        std::cerr << "Error: with --noinput give the password with --password-env VAR or AA_SUPERUSER_PASSWORD\n";
        return 1;
      }
      auto first = prompt_secret("Password: ");
      auto second = prompt_secret("Password (again): ");
      if (first != second) {
        std::cerr << "Error: Your passwords didn't match.\n";
        continue;
      }
      password = first;
    }
    auto problem = password_problem(*password, username);
    if (!problem) break;
    std::cerr << "Error: " << *problem << "\n";
    if (!interactive) return 1;
    password.reset();
  }

  try {
    NewUser user{username, hash_password(*password), email, true, true};
    aa::WriteTransaction transaction(sql);
    create_user(sql, user);
    transaction.commit();
  } catch (const std::exception& error) {
    std::cerr << "createsuperuser: " << error.what() << "\n";
    return 1;
  }
  core_log().info("superuser {} created from the command line", username);
  std::cout << "Superuser created successfully.\n";
  return 0;
}

int changepassword(const GlobalOptions& options, const std::vector<std::string>& args) {
  if (args.empty() || args.size() > 3) {
    std::cerr << "usage: allianceauth changepassword USERNAME [--password-env VAR]\n";
    return 2;
  }
  auto username = args[0];
  std::optional<std::string> password;
  if (args.size() == 3 && args[1] == "--password-env") {
    const char* from_env = std::getenv(args[2].c_str());
    if (!from_env) return std::cerr << "environment variable " << args[2] << " is not set\n", 2;
    password = from_env;
  } else if (args.size() != 1) {
    std::cerr << "usage: allianceauth changepassword USERNAME [--password-env VAR]\n";
    return 2;
  }

  auto app = bootstrap_migrated(options);
  if (!app) return 1;
  soci::session sql(app->db().pool());
  auto user_id = find_user_id(sql, username);
  if (!user_id) {
    std::cerr << "changepassword: user '" << username << "' does not exist\n";
    return 1;
  }
  while (true) {
    if (!password) {
      auto first = prompt_secret("Password: ");
      auto second = prompt_secret("Password (again): ");
      if (first != second) {
        std::cerr << "Error: Your passwords didn't match.\n";
        if (!isatty(STDIN_FILENO)) return 1;
        continue;
      }
      password = first;
    }
    auto problem = password_problem(*password, username);
    if (!problem) break;
    std::cerr << "Error: " << *problem << "\n";
    if (args.size() == 3 || !isatty(STDIN_FILENO)) return 1;
    password.reset();
  }
  set_password_hash(sql, *user_id, hash_password(*password));
  core_log().info("password of user {} changed from the command line", username);
  std::cout << "Password changed successfully for user '" << username << "'.\n";
  return 0;
}

}  // namespace aa::core::cli
