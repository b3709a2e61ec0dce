/* Docket external channel plugins: the C interface, version 1 (docs/notifications.md).
 *
 * A channel plugin is a shared library exporting, with C linkage,
 *
 *     int docket_channel_plugin_v1(DocketChannelApi* api);
 *
 * Docket loads it at start (the rules file's "channels.plugins", or --channel-plugin PATH),
 * fills the "host" part of `api` and calls the entry point once. The plugin checks the
 * version, reads its configuration, fills the "plugin" part and returns 0; or writes a reason
 * into api->error and returns nonzero, and Docket refuses to start. Docket then calls
 * deliver() for each message on the plugin's channel, from one thread at a time, and destroy()
 * once before unloading the library.
 *
 * Compatibility: the entry point's name carries the major version; a new major version gets a
 * new name. Within version 1 the structs only grow at their end, and struct_size tells the
 * plugin how big the host's are. All strings are NUL-terminated UTF-8 and valid only during
 * the call that receives them.
 */
#ifndef DOCKET_CHANNEL_PLUGIN_H
#define DOCKET_CHANNEL_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DOCKET_CHANNEL_ABI_VERSION 1
#define DOCKET_CHANNEL_ENTRY_V1 "docket_channel_plugin_v1"
#define DOCKET_CHANNEL_ERROR_SIZE 256

/* What deliver() returns. */
enum DocketDeliveryStatus {
  DOCKET_DELIVERED = 0, /* the receiver took it */
  DOCKET_RETRY = 1,     /* a transient failure: try again later */
  DOCKET_FAILED = 2     /* it will never work: give up now */
};

typedef struct DocketChannelMessage {
  uint32_t struct_size;        /* sizeof(DocketChannelMessage) of the host */
  const char* idempotency_key; /* "<event seq>:<channel>:<recipient>": drop repeats by it */
  const char* recipient;       /* an address or a user id, as the rules resolved it */
  const char* recipient_name;  /* may be empty */
  const char* subject;
  const char* text;
  const char* body_json; /* the same message as the webhook document (JSON) */
  int attempt;           /* 1 for the first try */
} DocketChannelMessage;

typedef struct DocketChannelApi {
  /* Host part, filled by Docket before the entry point is called. */
  uint32_t abi_version;    /* DOCKET_CHANNEL_ABI_VERSION of the host */
  uint32_t struct_size;    /* sizeof(DocketChannelApi) of the host */
  const char* config_json; /* the plugin's "config" object from the rules file, or "{}" */

  /* Plugin part, filled by the entry point. */
  const char* channel_name; /* the channel rules name; static storage; a-z, 0-9, '_', '-' */
  void* state;              /* handed back to deliver() and destroy() */
  /* Delivers one message. Returns a DocketDeliveryStatus; on failure may write a one-line
     reason (at most error_size bytes with the NUL) into `error`. */
  int (*deliver)(void* state, const DocketChannelMessage* message, char* error, size_t error_size);
  void (*destroy)(void* state); /* may be NULL */

  /* Why the entry point refused, written by the plugin when it returns nonzero. */
  char error[DOCKET_CHANNEL_ERROR_SIZE];
} DocketChannelApi;

typedef int (*DocketChannelEntryV1)(DocketChannelApi* api);

#ifdef __cplusplus
}
#endif

#endif /* DOCKET_CHANNEL_PLUGIN_H */
