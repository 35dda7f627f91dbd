#include <chrono>
#include <iostream>

#include "cli/bootstrap.hpp"
#include "http/server.hpp"
#include "tasks/runtime.hpp"
#include "tasks/task_service.hpp"

namespace aa::core::cli {

int serve(const GlobalOptions& options, const std::vector<std::string>& args) {
  auto started = std::chrono::steady_clock::now();
  std::optional<int> port_override;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--port" && i + 1 < args.size()) {
      const auto& text = args[++i];
      std::size_t used = 0;
      try {
        port_override = std::stoi(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != text.size() || *port_override < 0 || *port_override > 65535) {
        std::cerr << "--port needs a number from 0 to 65535, not '" << text << "'\n";
        return 2;
      }
      continue;
    }
    std::cerr << "serve: unknown argument '" << args[i] << "'\n";
    return 2;
  }

  auto app = bootstrap(options, {});
  if (!app) return 1;
  try {
    app->prepare_serving();
  } catch (const std::exception& error) {
    std::cerr << error.what() << "\n";
    core_log().error("not serving: {}", error.what());
    return 1;
  }

  const auto& config = app->config();
  ServerOptions server;
  server.host = config.string_or("server.host", "127.0.0.1");
  server.port = static_cast<std::uint16_t>(port_override.value_or(static_cast<int>(config.int_or("server.port", 8000))));
  server.io_threads = static_cast<int>(config.int_or("server.io_threads", 1));
  server.worker_threads = static_cast<int>(config.int_or("server.worker_threads", 4));
  server.max_header_bytes = static_cast<std::size_t>(config.int_or("server.max_header_bytes", 16384));
  server.max_body_bytes = static_cast<std::size_t>(config.int_or("server.max_body_bytes", 1048576));
  server.read_timeout = std::chrono::seconds(config.int_or("server.read_timeout_seconds", 30));
  server.keep_alive = std::chrono::seconds(config.int_or("server.keep_alive_seconds", 60));

  App* host = app.get();
  HttpServer http(server, {[host](const RawRequest& request) { return host->fast_path(request); },
                           [host](RawRequest& request) { return host->handle(request); }});
  try {
    http.start();
  } catch (const std::exception& error) {
    std::cerr << error.what() << "\n";
    core_log().error("not serving: {}", error.what());
    return 1;
  }
  auto ready_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  core_log().info("serving {} on http://{}:{}/ (ready in {} ms)", app->options().site_name, server.host, http.port(),
                  ready_ms);
  std::cout << "Alliance Auth is running at http://" << server.host << ":" << http.port() << "/" << std::endl;

  // With the embedded backend the daemon runs the tasks and the schedule
  // itself; with Redis, `allianceauth worker` and `beat` do.
  std::unique_ptr<TaskRuntime> tasks;
  if (app->task_service().backend().name() == "embedded") {
    tasks = std::make_unique<TaskRuntime>(*app, worker_options(config), true);
  }

  http.wait_for_signal();
  core_log().info("stopping: finishing running requests");
  http.stop();
  tasks.reset();
  core_log().info("stopped");
  return 0;
}

}  // namespace aa::core::cli
