// The ceiling of the sandbox load benchmark: a bare cpp-httplib server that answers every
// GET and POST with a fixed JSON body and does nothing else. It is set up as the runtime's
// httplib transport sets up its httplib::Server (runtime/http/src/httplib_transport.cpp:
// TCP_NODELAY, a thread pool of --threads workers, up to 1000 requests per keep-alive
// connection, ServerOptions::keepAliveMaxRequests), so against the sandbox on that
// transport the gap is what the sandbox does per request, not a different configuration.
//
//   tether_sandbox_hello_server [--port N] [--threads N]    (port 0 picks one; prints it)
#include <httplib.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

namespace {

// The value after `flag` in argv as a non-negative int, or `fallback` when absent.
int intFlag(int argc, char** argv, std::string_view flag, int fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (flag == argv[i]) {
      char* end = nullptr;
      long value = std::strtol(argv[i + 1], &end, 10);
      if (end == argv[i + 1] || *end != '\0' || value < 0 || value > 65535) {
        std::cerr << "hello_server: " << flag << " wants a number from 0 to 65535, not '" << argv[i + 1] << "'\n";
        std::exit(2);
      }
      return static_cast<int>(value);
    }
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const int port = intFlag(argc, argv, "--port", 0);
  const int threads = intFlag(argc, argv, "--threads", 8);
  if (threads < 1) {
    std::cerr << "hello_server: --threads must be at least 1\n";
    return 2;
  }
  httplib::Server server;
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000);  // ServerOptions::keepAliveMaxRequests' default
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  auto hello = [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"message":"Hello, world!"})", "application/json");
  };
  server.Get(".*", hello);
  server.Post(".*", hello);
  const int bound = port == 0 ? server.bind_to_any_port("127.0.0.1") : (server.bind_to_port("127.0.0.1", port) ? port : -1);
  if (bound < 0) {
    std::cerr << "hello_server: cannot listen on 127.0.0.1:" << port << "\n";
    return 1;
  }
  std::cout << "hello_server: listening on http://127.0.0.1:" << bound << std::endl;
  return server.listen_after_bind() ? 0 : 1;
}
