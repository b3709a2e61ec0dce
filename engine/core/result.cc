#include "core/result.h"

namespace docket {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::transition_not_allowed:
      return "transition_not_allowed";
    case ErrorCode::role_not_allowed:
      return "role_not_allowed";
    case ErrorCode::field_missing:
      return "field_missing";
    case ErrorCode::document_missing:
      return "document_missing";
    case ErrorCode::recommendations_open:
      return "recommendations_open";
    case ErrorCode::invalid_field:
      return "invalid_field";
    case ErrorCode::case_closed:
      return "case_closed";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::already_exists:
      return "already_exists";
    case ErrorCode::busy:
      return "busy";
    case ErrorCode::storage:
      return "storage";
    case ErrorCode::storage_corrupt:
      return "storage_corrupt";
    case ErrorCode::integrity:
      return "integrity";
    case ErrorCode::storage_full:
      return "storage_full";
    case ErrorCode::needs_migration:
      return "needs_migration";
    case ErrorCode::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace docket
