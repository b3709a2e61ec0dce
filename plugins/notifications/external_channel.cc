#include "notifications/external_channel.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>

#include "core/text.h"

namespace docket {
namespace {

bool is_channel_name(const char* name) {
  if (name == nullptr || *name == '\0') return false;
  const std::string_view text(name);
  return text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
         });
}

std::string last_dl_error() {
  const char* text = dlerror();
  return text != nullptr ? text : "unknown error";
}

// What the plugin wrote into a fixed buffer, safely terminated.
std::string reason(const char* buffer, std::size_t size) { return std::string(buffer, strnlen(buffer, size)); }

}  // namespace

Result<std::unique_ptr<ExternalChannel>> ExternalChannel::load(const std::string& path,
                                                               const std::string& config_json) {
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr)
    return make_error(ErrorCode::not_found, "cannot load channel plugin " + in_quotes(path) + ": " + last_dl_error());
  const auto refuse = [&](const std::string& why) {
    dlclose(library);
    return make_error(ErrorCode::invalid_argument, "channel plugin " + in_quotes(path) + ": " + why);
  };
  void* symbol = dlsym(library, DOCKET_CHANNEL_ENTRY_V1);
  if (symbol == nullptr) return refuse("it does not export " DOCKET_CHANNEL_ENTRY_V1 " (docket_channel_plugin.h)");
  const auto entry = reinterpret_cast<DocketChannelEntryV1>(symbol);
  DocketChannelApi api{};
  api.abi_version = DOCKET_CHANNEL_ABI_VERSION;
  api.struct_size = sizeof(DocketChannelApi);
  api.config_json = config_json.c_str();
  if (entry(&api) != 0) return refuse("it refused to start: " + reason(api.error, sizeof api.error));
  if (api.deliver == nullptr) return refuse("it set no deliver function");
  if (!is_channel_name(api.channel_name)) return refuse("its channel name must be 1-64 of a-z, 0-9, '_', '-'");
  api.config_json = nullptr;  // valid only during the call
  return std::unique_ptr<ExternalChannel>(new ExternalChannel(library, api, path));
}

ExternalChannel::~ExternalChannel() {
  if (api_.destroy != nullptr) api_.destroy(api_.state);
  dlclose(library_);
}

DeliveryOutcome ExternalChannel::deliver(const Delivery& delivery) {
  const std::string body = to_json(delivery.message, delivery.idempotency_key);
  const DocketChannelMessage message{sizeof(DocketChannelMessage),
                                     delivery.idempotency_key.c_str(),
                                     delivery.recipient.c_str(),
                                     delivery.message.recipient_name.c_str(),
                                     delivery.message.subject.c_str(),
                                     delivery.message.text.c_str(),
                                     body.c_str(),
                                     delivery.attempt};
  char error[DOCKET_CHANNEL_ERROR_SIZE] = {};
  const int status = api_.deliver(api_.state, &message, error, sizeof error);
  const std::string said = reason(error, sizeof error);
  switch (status) {
    case DOCKET_DELIVERED:
      return {DeliveryStatus::delivered, said};
    case DOCKET_RETRY:
      return {DeliveryStatus::retry, said.empty() ? name_ + " asked to retry" : said};
    default:
      return {DeliveryStatus::failed, said.empty() ? name_ + " failed with status " + std::to_string(status) : said};
  }
}

}  // namespace docket
