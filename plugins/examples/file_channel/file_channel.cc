// An example external channel plugin: the "file" channel appends one line per message to a
// file, "<idempotency key>\t<recipient>\t<subject>", and skips a message whose key it has
// already written (what a real receiver should do with repeats). Configure it in the rules
// file:
//
//   "plugins": [{"path": "libdocket_file_channel.so", "channel": "file",
//                "config": {"path": "/var/spool/docket/messages.tsv"}}]
//
// It shows the whole ABI of docket_channel_plugin.h: version check, config, deliver, destroy.
#include <rapidjson/document.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <string>

#include "docket_channel_plugin.h"

namespace {

struct FileChannel {
  std::string path;
  std::set<std::string> written;  // idempotency keys already in the file
};

void say(char* buffer, std::size_t size, const std::string& text) { std::snprintf(buffer, size, "%s", text.c_str()); }

// The keys already in the file, so a restarted process also skips repeats.
std::set<std::string> keys_in(const std::string& path) {
  std::set<std::string> keys;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) keys.insert(line.substr(0, line.find('\t')));
  return keys;
}

int deliver(void* state, const DocketChannelMessage* message, char* error, std::size_t error_size) {
  auto* channel = static_cast<FileChannel*>(state);
  if (channel->written.count(message->idempotency_key)) return DOCKET_DELIVERED;  // a repeat
  std::ofstream out(channel->path, std::ios::app);
  out << message->idempotency_key << '\t' << message->recipient << '\t' << message->subject << '\n';
  out.flush();
  if (!out) {
    say(error, error_size, "cannot append to " + channel->path + ": " + std::strerror(errno));
    return DOCKET_RETRY;
  }
  channel->written.insert(message->idempotency_key);
  return DOCKET_DELIVERED;
}

void destroy(void* state) { delete static_cast<FileChannel*>(state); }

}  // namespace

extern "C" int docket_channel_plugin_v1(DocketChannelApi* api) {
  if (api->abi_version != DOCKET_CHANNEL_ABI_VERSION || api->struct_size < sizeof(DocketChannelApi)) {
    return 1;  // a host we do not know: there may be no error buffer where we expect it
  }
  rapidjson::Document config;
  config.Parse(api->config_json != nullptr ? api->config_json : "{}");
  if (config.HasParseError() || !config.IsObject() || !config.HasMember("path") || !config["path"].IsString()) {
    say(api->error, sizeof api->error, "the file channel needs \"config\": {\"path\": FILE}");
    return 1;
  }
  const std::string path = config["path"].GetString();
  api->channel_name = "file";
  api->state = new FileChannel{path, keys_in(path)};
  api->deliver = deliver;
  api->destroy = destroy;
  return 0;
}
