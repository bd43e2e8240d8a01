#include "write/validation.h"

#include <algorithm>

#include "relstore/errors.h"
#include "storage/keys.h"
#include "store_impl.h"

namespace relstore::detail {

Value checkValue(const ModelImpl& model, std::uint32_t attribute, Value value) {
  const Attribute& a = model.attribute(attribute);
  if (value.isNull()) {
    if (!a.allowNull) throw ValidationError(model.qualified(attribute) + " cannot be null");
    return value;
  }
  const Type given = value.type();
  if (given == a.type) return value;
  if (a.type == Type::Real && given == Type::Int) return Value(static_cast<double>(value.asInt()));
  throw ValidationError(model.qualified(attribute) + " expects " + std::string(typeName(a.type)) + ", got " +
                        std::string(typeName(given)) + " (" + value.toString() + ")");
}

void runValidator(const ModelImpl& model, std::uint32_t attribute, const Value& value) {
  const Attribute& a = model.attribute(attribute);
  if (!a.validate || value.isNull()) return;
  try {
    const UserCode running(model);
    a.validate(value);
  } catch (const ValidationError& e) {
    throw ValidationError("Validation failed on " + model.qualified(attribute) + ": " + e.what());
  }
}

void validateRow(const ModelImpl& model, std::vector<Value>& row) {
  for (std::uint32_t i = 0; i < row.size(); ++i) {
    if (i == model.pk() && row[i].isNull() && model.attribute(i).autoIncrement) continue;
    row[i] = checkValue(model, i, std::move(row[i]));
    runValidator(model, i, row[i]);
  }
}

void uniqueViolation(const ModelImpl& model, std::uint32_t attribute, const Value& value) {
  const std::string shown = value.type() == Type::Text ? "\"" + value.asText() + "\"" : value.toString();
  throw UniqueConstraintError(model.qualified(attribute) + " must be unique: value " + shown + " is already taken");
}

std::string batchKey(const Value& value) {
  if (value.type() == Type::Text) return "t" + value.asText();
  // The index's own key, so values the index holds equal (0.0 and -0.0) collide here too.
  return "n" + std::to_string(numericKeyOf(value.type(), value));
}

void runHooks(const ModelImpl& model, Hook hook, Instance& instance) {
  const HookList list = model.hooks(hook);  // a copy: hooks may add or remove hooks
  StoreImpl& store = *instance.storeImpl();
  for (const HookEntry& entry : *list) {
    const std::size_t depth = store.frameDepth();
    {
      const UserCode running(model);
      entry.fn(instance);
    }
    // The operation's own frame sits below: transactions a hook begins must
    // end in it, and it may not end one it did not begin.
    if (store.frameDepth() > depth) {
      store.rollbackFrame(depth + 1);
      throw Error("A hook on " + model.name() + " left a transaction open; a transaction begun in a hook must end in it");
    }
    if (store.frameDepth() < depth) {
      throw Error("A hook on " + model.name() + " ended a transaction it did not begin");
    }
  }
}

void rethrowWithContext(const std::string& prefix) {
  try {
    throw;
  } catch (const SchemaError& e) {
    throw SchemaError(prefix + e.what());
  } catch (const TypeError& e) {
    throw TypeError(prefix + e.what());
  } catch (const ValidationError& e) {
    throw ValidationError(prefix + e.what());
  } catch (const UniqueConstraintError& e) {
    throw UniqueConstraintError(prefix + e.what());
  } catch (const ForeignKeyConstraintError& e) {
    throw ForeignKeyConstraintError(prefix + e.what());
  } catch (const NotFoundError& e) {
    throw NotFoundError(prefix + e.what());
  }
  // Anything else (a hook's own exception type, IntegrityError, ...) as is.
}

void fillRow(const ModelImpl& model, const Record& record, std::vector<Value>& row) {
  const auto& attributes = model.attributes();
  row.assign(attributes.size(), Value());
  // Which attributes the record names: a bit mask for the usual small model.
  std::uint64_t givenBits = 0;
  std::vector<bool> givenWide(attributes.size() > 64 ? attributes.size() : 0, false);
  auto given = [&](std::uint32_t a) { return a < 64 ? ((givenBits >> a) & 1u) != 0 : givenWide[a]; };
  for (const Field& f : record) {
    const std::uint32_t a = model.requireAttribute(f.name, "record");
    if (given(a)) throw SchemaError("Attribute " + model.qualified(a) + " is given twice in one record");
    if (a < 64) givenBits |= std::uint64_t{1} << a; else givenWide[a] = true;
    row[a] = f.value;
  }
  for (std::uint32_t a = 0; a < attributes.size(); ++a) {
    if (!given(a) && attributes[a].defaultValue) row[a] = *attributes[a].defaultValue;
  }
}

std::vector<std::pair<std::uint32_t, Value>> changesFromRecord(const ModelImpl& model, const Record& record) {
  std::vector<std::pair<std::uint32_t, Value>> changes;
  changes.reserve(record.size());
  for (const Field& f : record) {
    const std::uint32_t a = model.requireAttribute(f.name, "record");
    if (std::any_of(changes.begin(), changes.end(), [&](const auto& c) { return c.first == a; })) {
      throw SchemaError("Attribute " + model.qualified(a) + " is given twice in one record");
    }
    changes.emplace_back(a, f.value);
  }
  return changes;
}

}  // namespace relstore::detail
