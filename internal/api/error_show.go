package api

import (
	"net/http"

	"paperboy"
)

type errorResponse struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// NotFound serves every /api/ path no route matches.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) error {
	return paperboy.Errorf(paperboy.ENOTFOUND, "No API endpoint %s %s.", r.Method, r.URL.Path)
}

// WriteError writes err as {"error":{"code":"...","message":"..."}} with the
// status the caller chose from its code. Internal errors say only
// "Internal error.".
func WriteError(w http.ResponseWriter, status int, err error) {
	body := errorResponse{Error: errorBody{Code: paperboy.ErrorCode(err), Message: paperboy.ErrorMessage(err)}}
	if writeJSON(w, status, body) != nil {
		http.Error(w, body.Error.Message, status)
	}
}
