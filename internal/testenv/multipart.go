package testenv

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
)

// Multipart posts a multipart form: fields, and optionally one file under fileField.
func (c *Client) Multipart(path string, fields map[string]string, fileField, fileName string, file []byte) Response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			c.t.Fatal(err)
		}
	}
	if fileField != "" {
		fw, err := w.CreateFormFile(fileField, fileName)
		if err != nil {
			c.t.Fatal(err)
		}
		if _, err := fw.Write(file); err != nil {
			c.t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", c.Base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return Response{Status: resp.StatusCode, Body: b}
}

// Get returns the raw body of a GET.
func (c *Client) Get(path string) Response {
	c.t.Helper()
	return c.Raw("GET", path, "")
}
