#include "notifications/config_loader.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/json_text.h"
#include "notifications/rules_reader.h"

namespace docket {
namespace {

using rapidjson::Value;

std::optional<std::string> from_process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// Reads the sections other than rules and templates: delivery, channels, contacts.
class ConfigReader {
 public:
  ConfigReader(std::vector<Diagnostic>& out, const NotificationsLoadOptions& options) : in_(out), options_(options) {}

  NotificationsConfig read(const Value& root) {
    NotificationsConfig config;
    if (!in_.object(root, "$", {"link_base", "delivery", "channels", "contacts", "rules", "templates"},
                    {"rules", "templates"})) {
      return config;
    }
    config.link_base = in_.string(root, "link_base", "$");
    if (root.HasMember("delivery")) config.delivery = delivery(root["delivery"], "$.delivery");
    if (root.HasMember("channels")) channels(root["channels"], "$.channels", config);
    config.contacts = contacts(root, "$");
    RuleContext context{{kLogChannel}, {}, options_.catalog};
    context.channels.insert(options_.extra_channels.begin(), options_.extra_channels.end());
    if (config.email) context.channels.insert(kEmailChannel);
    if (!config.webhooks.empty()) context.channels.insert(kWebhookChannel);
    for (const auto& [name, endpoint] : config.webhooks) context.endpoints.insert(name);
    for (const auto& plugin : config.plugins) context.channels.insert(plugin.channel);
    config.rules = read_rules(in_, root, context);
    config.templates = read_templates(in_, root, !config.link_base.empty());
    check_templates_cover_rules(in_, config.rules, config.templates);
    return config;
  }

 private:
  // A positive integer member, or `fallback` when absent.
  int positive(const Value& v, const char* key, const std::string& path, int fallback) {
    const auto value = in_.integer(v, key, path);
    if (value && *value < 1) in_.error(path + "." + key, "must be at least 1");
    return value && *value >= 1 ? *value : fallback;
  }

  DeliveryPolicy delivery(const Value& v, const std::string& path) {
    DeliveryPolicy policy;
    if (!in_.object(v, path,
                    {"max_attempts", "initial_backoff_seconds", "max_backoff_seconds", "lease_seconds", "batch_size"},
                    {})) {
      return policy;
    }
    policy.max_attempts = positive(v, "max_attempts", path, policy.max_attempts);
    policy.initial_backoff = std::chrono::seconds{
        positive(v, "initial_backoff_seconds", path, static_cast<int>(policy.initial_backoff.count()))};
    policy.max_backoff =
        std::chrono::seconds{positive(v, "max_backoff_seconds", path, static_cast<int>(policy.max_backoff.count()))};
    policy.lease = std::chrono::seconds{positive(v, "lease_seconds", path, static_cast<int>(policy.lease.count()))};
    policy.batch_size = positive(v, "batch_size", path, policy.batch_size);
    if (policy.max_backoff < policy.initial_backoff)
      in_.error(path + ".max_backoff_seconds", "must not be less than initial_backoff_seconds");
    return policy;
  }

  void channels(const Value& v, const std::string& path, NotificationsConfig& config) {
    if (!in_.object(v, path, {"email", "webhook", "plugins"}, {})) return;
    if (v.HasMember("email")) config.email = email(v["email"], path + ".email");
    if (v.HasMember("webhook")) webhooks(v["webhook"], path + ".webhook", config);
    config.plugins = in_.list<ChannelPluginSpec>(
        v, "plugins", path, [&](const Value& p, const std::string& where) { return plugin(p, where); });
  }

  // A secret given literally (`key`) or by the name of an environment variable (`env_key`).
  std::string secret(const Value& v, const char* key, const char* env_key, const std::string& path) {
    if (v.HasMember(key) && v.HasMember(env_key))
      in_.error(path, std::string("give ") + key + " or " + env_key + ", not both");
    if (!v.HasMember(env_key)) return in_.string(v, key, path);
    const std::string name = in_.string(v, env_key, path);
    const auto& environment = options_.environment ? options_.environment : from_process_environment;
    const auto value = environment(name);
    if (!value || value->empty()) in_.error(path + "." + env_key, "the environment variable " + name + " is not set");
    return value.value_or("");
  }

  std::string file(const Value& v, const char* key, const std::string& path) {
    const std::string name = in_.string(v, key, path);
    if (name.empty()) return name;
    const std::filesystem::path given(name);
    const std::filesystem::path resolved = given.is_absolute() ? given : options_.base_dir / given;
    return resolved.string();
  }

  std::chrono::milliseconds milliseconds(const Value& v, const char* key, const std::string& path,
                                         std::chrono::milliseconds fallback) {
    return std::chrono::milliseconds{positive(v, key, path, static_cast<int>(fallback.count()))};
  }

  SmtpSettings email(const Value& v, const std::string& path) {
    SmtpSettings smtp;
    if (!in_.object(v, path,
                    {"host", "port", "helo", "from", "from_name", "starttls", "ca_file", "username", "password",
                     "password_env", "connect_timeout_ms", "command_timeout_ms"},
                    {"host", "from"})) {
      return smtp;
    }
    smtp.host = in_.string(v, "host", path);
    smtp.port = positive(v, "port", path, smtp.port);
    if (v.HasMember("helo")) smtp.helo = in_.string(v, "helo", path);
    smtp.from_address = in_.string(v, "from", path);
    if (smtp.from_address.find('@') == std::string::npos ||
        smtp.from_address.find_first_of(" \r\n<>") != std::string::npos) {
      in_.error(path + ".from", in_quotes(smtp.from_address) + " is not an e-mail address (name@domain)");
    }
    smtp.from_name = in_.string(v, "from_name", path);
    smtp.starttls = in_.one_of<StartTls>(
        v, "starttls", path,
        {{"when_offered", StartTls::when_offered}, {"required", StartTls::required}, {"never", StartTls::never}});
    smtp.ca_file = file(v, "ca_file", path);
    smtp.username = in_.string(v, "username", path);
    smtp.password = secret(v, "password", "password_env", path);
    smtp.connect_timeout = milliseconds(v, "connect_timeout_ms", path, smtp.connect_timeout);
    smtp.command_timeout = milliseconds(v, "command_timeout_ms", path, smtp.command_timeout);
    return smtp;
  }

  void webhooks(const Value& v, const std::string& path, NotificationsConfig& config) {
    if (!in_.object(v, path, {"endpoints"}, {"endpoints"})) return;
    const Value& endpoints = v["endpoints"];
    const std::string where = path + ".endpoints";
    if (!endpoints.IsObject()) return in_.error(where, "expected an object keyed by endpoint name");
    for (const auto& member : endpoints.GetObject()) {
      WebhookEndpoint endpoint = webhook(member.value, where + "." + member.name.GetString());
      endpoint.name = member.name.GetString();
      config.webhooks[endpoint.name] = std::move(endpoint);
    }
  }

  WebhookEndpoint webhook(const Value& v, const std::string& path) {
    WebhookEndpoint endpoint;
    if (!in_.object(v, path, {"url", "secret", "secret_env", "ca_file", "connect_timeout_ms", "response_timeout_ms"},
                    {"url"})) {
      return endpoint;
    }
    endpoint.url = in_.string(v, "url", path);
    if (endpoint.url.rfind("http://", 0) != 0 && endpoint.url.rfind("https://", 0) != 0) {
      in_.error(path + ".url", in_quotes(endpoint.url) + " is not an http:// or https:// URL");
    }
    endpoint.secret = secret(v, "secret", "secret_env", path);
    if (endpoint.secret.empty())
      in_.error(path, "an endpoint needs a secret (\"secret_env\": the variable holding it) to sign with");
    endpoint.ca_file = file(v, "ca_file", path);
    endpoint.connect_timeout = milliseconds(v, "connect_timeout_ms", path, endpoint.connect_timeout);
    endpoint.response_timeout = milliseconds(v, "response_timeout_ms", path, endpoint.response_timeout);
    return endpoint;
  }

  ChannelPluginSpec plugin(const Value& v, const std::string& path) {
    ChannelPluginSpec spec;
    if (!in_.object(v, path, {"path", "channel", "config"}, {"path", "channel"})) return spec;
    spec.path = file(v, "path", path);
    spec.channel = in_.string(v, "channel", path);
    for (const char* builtin : {kEmailChannel, kWebhookChannel, kLogChannel}) {
      if (spec.channel == builtin)
        in_.error(path + ".channel", in_quotes(spec.channel) + " is a built-in channel; pick another name");
    }
    if (v.HasMember("config")) {
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
      v["config"].Accept(writer);
      spec.config_json = buffer.GetString();
    } else {
      spec.config_json = "{}";
    }
    return spec;
  }

  std::map<std::string, std::string> contacts(const Value& root, const std::string& path) {
    std::map<std::string, std::string> found;
    if (!root.HasMember("contacts")) return found;
    const Value& v = root["contacts"];
    if (!v.IsObject()) {
      in_.error(path + ".contacts", "expected an object: outside body -> address");
      return found;
    }
    for (const auto& member : v.GetObject()) {
      const std::string where = path + ".contacts[\"" + std::string(member.name.GetString()) + "\"]";
      if (!member.value.IsString() || member.value.GetStringLength() == 0) {
        in_.error(where, "expected an address");
        continue;
      }
      found[member.name.GetString()] = member.value.GetString();
    }
    return found;
  }

  JsonReader in_;
  const NotificationsLoadOptions& options_;
};

}  // namespace

LoadedNotifications parse_notifications(std::string_view json, const NotificationsLoadOptions& options) {
  LoadedNotifications loaded;
  rapidjson::Document document;
  if (const auto problem = parse_json(json, document)) {
    loaded.diagnostics.push_back({Severity::error, problem->path,
                                  "malformed JSON at line " + std::to_string(problem->line) + ", column " +
                                      std::to_string(problem->column) + ": " + problem->reason});
    return loaded;
  }
  NotificationsConfig config = ConfigReader(loaded.diagnostics, options).read(document);
  if (!has_errors(loaded.diagnostics)) loaded.config = std::move(config);
  return loaded;
}

LoadedNotifications load_notifications_file(const std::filesystem::path& path, NotificationsLoadOptions options) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) {
    LoadedNotifications failed;
    failed.diagnostics.push_back({Severity::error, "$", "cannot read the file (does it exist?)"});
    return failed;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (options.base_dir.empty()) options.base_dir = path.parent_path();
  return parse_notifications(text.str(), options);
}

std::string describe_diagnostics(const std::filesystem::path& file, const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const Diagnostic& diagnostic : diagnostics) {
    text += file.string() + ": " + diagnostic.path + ": " + diagnostic.message + "\n";
  }
  return text;
}

}  // namespace docket
