package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
)

// checkStrictKeys walks a JSON document before encoding/json sees it, because that
// decoder matches field names case-insensitively and lets a repeated key silently win:
// {"choice":"A","Choice":"B"} would store B. Keys must be spelled exactly as the request
// type's json tags, and no object may repeat a key.
func checkStrictKeys(body []byte, t reflect.Type) *Error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if e := walkValue(dec, t); e != nil && e != errMalformedJSON {
		return e
	}
	return nil
}

// errMalformedJSON stops the walk; the real decode then reports the syntax error with its
// own message.
var errMalformedJSON = newError(http.StatusBadRequest, "invalid_json", "Dữ liệu gửi lên không phải JSON hợp lệ.")

func walkValue(dec *json.Decoder, t reflect.Type) *Error {
	tok, err := dec.Token()
	if err != nil {
		return errMalformedJSON
	}
	t = derefType(t)
	switch tok {
	case json.Delim('{'):
		return walkObject(dec, t)
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for dec.More() {
			if e := walkValue(dec, elem); e != nil {
				return e
			}
		}
		if _, err := dec.Token(); err != nil {
			return errMalformedJSON
		}
	}
	return nil
}

func walkObject(dec *json.Decoder, t reflect.Type) *Error {
	fields := jsonFields(t)
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return errMalformedJSON
		}
		key, _ := tok.(string)
		if seen[key] {
			return newError(http.StatusBadRequest, "duplicate_field",
				fmt.Sprintf("Trường %q xuất hiện nhiều lần.", key))
		}
		seen[key] = true
		var fieldType reflect.Type
		if fields != nil {
			ft, ok := fields[key]
			if !ok {
				return newError(http.StatusBadRequest, "unknown_field",
					fmt.Sprintf("Trường %q không được hỗ trợ.", key))
			}
			fieldType = ft
		} else if t != nil && t.Kind() == reflect.Map {
			fieldType = t.Elem()
		}
		if e := walkValue(dec, fieldType); e != nil {
			return e
		}
	}
	if _, err := dec.Token(); err != nil {
		return errMalformedJSON
	}
	return nil
}

// jsonFields maps each exact json name of a struct to its field type; nil for anything
// that is not a struct (maps and interfaces take any key).
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			for k, v := range jsonFields(derefType(f.Type)) {
				fields[k] = v
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	return fields
}

func derefType(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}
