package api

import (
	"encoding/base64"
	"strconv"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// listResponse is the shape of every paginated list: items, and the cursor
// to pass as ?cursor= for the next page (absent on the last page).
type listResponse[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func newList[T, D any](rows []D, next int64, conv func(D) T) listResponse[T] {
	out := listResponse[T]{Items: make([]T, len(rows))}
	for i, r := range rows {
		out.Items[i] = conv(r)
	}
	if next != 0 {
		out.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(next, 10)))
	}
	return out
}

// pageParams reads ?limit= and ?cursor=, collecting problems into p.
func pageParams(c echo.Context, p *domain.Problems) domain.Page {
	var page domain.Page
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > domain.MaxPageLimit {
			p.Add("limit", "must be a whole number from 1 to %d", domain.MaxPageLimit)
		}
		page.Limit = n
	}
	if v := c.QueryParam("cursor"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		n, err2 := strconv.ParseInt(string(b), 10, 64)
		if err != nil || err2 != nil || n <= 0 {
			p.Add("cursor", "is not a cursor this API gave out")
		}
		page.After = n
	}
	return page
}

// pathID reads a numeric path parameter. A malformed id names no object,
// so it answers 404 like any other unknown id.
func pathID(c echo.Context, name, entity string) (int64, error) {
	id, err := pathIDValue(c.Param(name))
	if err != nil {
		return 0, domain.NotFound(entity)
	}
	return id, nil
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func pathIDValue(v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err == nil && id <= 0 {
		err = strconv.ErrRange
	}
	return id, err
}
