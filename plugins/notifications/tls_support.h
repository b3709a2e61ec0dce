// Internal to the network channels: TLS client setup and running one coroutine to completion
// on a private io_context. Not thread-safe per object; each call uses its own io_context.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/system/system_error.hpp>

#include <exception>
#include <optional>
#include <string>

#include "core/result.h"

namespace docket {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// A client context that verifies the peer: against `ca_file` when given, else the system's CAs.
boost::asio::ssl::context client_tls_context(const std::string& ca_file);

// Sets SNI (unless `host` is an IP address) and checks the certificate names `host`.
void prepare_client_tls(TlsStream& stream, const std::string& host);

// Runs `task` on a fresh io_context until it finishes. The error is the text of what it threw
// (a timeout, a refused connection, a TLS failure), as code internal.
template <typename T>
Result<T> run_network_task(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  std::optional<T> value;
  std::string problem = "the task did not finish";
  boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr thrown, T result) {
    if (!thrown) {
      value = std::move(result);
      return;
    }
    try {
      std::rethrow_exception(thrown);
    } catch (const boost::system::system_error& error) {
      problem = error.code().message();
    } catch (const std::exception& error) {
      problem = error.what();
    }
  });
  io.run();
  if (!value) return make_error(ErrorCode::internal, problem);
  return std::move(*value);
}

}  // namespace docket
