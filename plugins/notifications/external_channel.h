// A channel from a shared library through the versioned C entry point of
// docket_channel_plugin.h. The library stays loaded for the object's life.
// Thread-safety: one delivery at a time per object (the plugin is promised that).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "notifications/channel.h"
#include "notifications/docket_channel_plugin.h"

namespace docket {

class ExternalChannel final : public Channel {
 public:
  // Loads the library at `path` and calls docket_channel_plugin_v1 with `config_json`.
  // Errors: not_found (the library cannot be loaded: dlerror's text), invalid_argument (no
  // entry point, the plugin refused and why, or a channel name that is not a-z0-9_-).
  static Result<std::unique_ptr<ExternalChannel>> load(const std::string& path, const std::string& config_json);

  ExternalChannel(const ExternalChannel&) = delete;
  ExternalChannel& operator=(const ExternalChannel&) = delete;
  ~ExternalChannel() override;  // destroy(), then unloads the library

  std::string_view name() const override { return name_; }
  DeliveryOutcome deliver(const Delivery& delivery) override;

 private:
  ExternalChannel(void* library, const DocketChannelApi& api, std::string path)
      : library_(library), api_(api), name_(api.channel_name), path_(std::move(path)) {}

  void* library_;
  DocketChannelApi api_;
  std::string name_;
  std::string path_;
};

}  // namespace docket
