package api

import (
	"net/http"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// A practice's delivery addresses: its own users and staff read them, its
// users and admins change them; nobody else sees them (suppliers read the
// address an order was placed with, on the order).

func (s *Server) addressRoutes(a *echo.Group) {
	a.GET("/members/:id/addresses", s.listAddresses)
	a.POST("/members/:id/addresses", s.addAddress)
	a.PATCH("/members/:id/addresses/:addressID", s.updateAddress)
	a.DELETE("/members/:id/addresses/:addressID", s.deleteAddress)
}

type addressResponse struct {
	ID        int64     `json:"id"`
	MemberID  int64     `json:"member_id"`
	Label     string    `json:"label"`
	Street    string    `json:"street"`
	Postcode  string    `json:"postcode"`
	City      string    `json:"city"`
	Country   string    `json:"country"`
	IsDefault bool      `json:"is_default"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toAddressResponse(a domain.MemberAddress) addressResponse {
	return addressResponse{ID: a.ID, MemberID: a.MemberID, Label: a.Label, Street: a.Street, Postcode: a.Postcode,
		City: a.City, Country: a.Country, IsDefault: a.IsDefault, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

// addressRequest is the body of POST (street, postcode and city required)
// and PATCH (every field optional).
type addressRequest struct {
	Label     *string `json:"label" validate:"omitempty,max=200"`
	Street    *string `json:"street" validate:"omitempty,max=200"`
	Postcode  *string `json:"postcode" validate:"omitempty,max=20"`
	City      *string `json:"city" validate:"omitempty,max=200"`
	Country   *string `json:"country" validate:"omitempty,max=2"`
	IsDefault *bool   `json:"is_default"`
}

func (r addressRequest) toInput() domain.AddressInput {
	return domain.AddressInput{Label: r.Label, Street: r.Street, Postcode: r.Postcode, City: r.City,
		Country: r.Country, IsDefault: r.IsDefault}
}

func (s *Server) listAddresses(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	rows, err := s.svc.Members.Addresses(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(rows, 0, toAddressResponse))
}

func (s *Server) addAddress(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	var req addressRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	a, err := s.svc.Members.AddAddress(c.Request().Context(), id, req.toInput())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/members/"+itoa(id)+"/addresses/"+itoa(a.ID))
	return c.JSON(http.StatusCreated, toAddressResponse(*a))
}

func (s *Server) updateAddress(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	addressID, err := pathID(c, "addressID", "address")
	if err != nil {
		return err
	}
	var req addressRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	a, err := s.svc.Members.UpdateAddress(c.Request().Context(), id, addressID, req.toInput())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAddressResponse(*a))
}

func (s *Server) deleteAddress(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	addressID, err := pathID(c, "addressID", "address")
	if err != nil {
		return err
	}
	if err := s.svc.Members.DeleteAddress(c.Request().Context(), id, addressID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
