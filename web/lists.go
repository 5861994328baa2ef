package web

import (
	"net/http"
	"strconv"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

type listsData struct {
	Lists []domain.StandardList
	Name  string
	Error string
}

func (p *Pages) standardLists(c echo.Context) error {
	lists, err := p.lists.List(c.Request().Context())
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "lists", listsData{Lists: lists})
}

// createList makes a named list; a bad or taken name shows the form again.
func (p *Pages) createList(c echo.Context) error {
	ctx := c.Request().Context()
	name := c.FormValue("name")
	l, err := p.lists.Create(ctx, name)
	if err != nil {
		key := ""
		switch domain.ErrorCode(err) {
		case domain.EINVALID:
			key = "lists.name-invalid"
		case domain.ECONFLICT:
			key = "lists.name-taken"
		default:
			return err
		}
		lists, lerr := p.lists.List(ctx)
		if lerr != nil {
			return lerr
		}
		return p.render(c, http.StatusUnprocessableEntity, "lists", listsData{Lists: lists, Name: name, Error: key})
	}
	return seeOther(c, "/lists/"+strconv.FormatInt(l.ID, 10)+"?done=list-created")
}

type listData struct {
	List     *domain.StandardList
	Products map[int64]domain.Product
}

func (p *Pages) standardList(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	l, err := p.lists.Get(ctx, id)
	if err != nil {
		return err
	}
	ids := make([]int64, len(l.Lines))
	for i, ln := range l.Lines {
		ids[i] = ln.ProductID
	}
	prods, err := p.carts.Products(ctx, ids)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "list", listData{List: l, Products: prods})
}

// setListLine puts a product on a list (from the product page) or changes
// its packs (0 removes it), then goes back.
func (p *Pages) setListLine(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	in, err := lineInput(c)
	if err != nil {
		return err
	}
	if c.FormValue("remove") != "" {
		in.Quantity = 0
	}
	if err := p.lists.SetLine(c.Request().Context(), id, in); err != nil {
		return err
	}
	back := safeNext(c.FormValue("next"))
	if back == "/" {
		back = "/lists/" + strconv.FormatInt(id, 10)
	}
	return seeOther(c, withDone(back, "saved"))
}

func (p *Pages) listToCart(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := p.lists.ToCart(c.Request().Context(), id); err != nil {
		return err
	}
	return seeOther(c, "/cart?done=list-to-cart")
}
