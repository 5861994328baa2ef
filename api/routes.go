package api

// routes registers every endpoint. Each /api/v1 route must also be in
// openapi.json (a test checks both directions).
func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler())

	v1 := e.Group("/api/v1", checkQuery, s.loadSession)
	v1.GET("/openapi.json", s.openAPI)
	v1.POST("/session", s.login)
	v1.GET("/receipts/key", s.receiptKey)

	a := v1.Group("", s.authenticate)
	a.DELETE("/session", s.logout)
	a.GET("/me", s.me)
	a.POST("/receipts/verify", s.verifyReceipt)

	a.GET("/members", s.listMembers)
	a.POST("/members", s.createMember, s.idempotent)
	a.GET("/members/:id", s.getMember)
	a.PATCH("/members/:id", s.updateMember)
	s.addressRoutes(a)

	a.GET("/suppliers", s.listSuppliers)
	a.POST("/suppliers", s.createSupplier, s.idempotent)
	a.GET("/suppliers/:id", s.getSupplier)
	a.PATCH("/suppliers/:id", s.updateSupplier)
	a.GET("/suppliers/:id/api-keys", s.listAPIKeys)
	a.POST("/suppliers/:id/api-keys", s.issueAPIKey)
	a.DELETE("/suppliers/:id/api-keys/:keyID", s.revokeAPIKey)

	a.POST("/users", s.createUser, s.idempotent)
	a.GET("/audit", s.listAudit)

	a.GET("/products", s.searchProducts)
	a.GET("/products/:id", s.getProduct)
	a.GET("/products/:id/offers", s.productOffers)
	a.POST("/products/:id/merge", s.mergeProduct)
	a.POST("/products/:id/confirm", s.confirmProduct)
	a.GET("/price-lists", s.listPriceLists)
	a.POST("/price-lists", s.uploadPriceList)
	a.GET("/price-lists/:id", s.getPriceList)
	a.GET("/price-lists/:id/diff", s.diffPriceList)
	a.GET("/exchange-rates", s.listExchangeRates)
	a.PUT("/exchange-rates/:currency", s.putExchangeRate)

	s.demandRoutes(a)
	s.tenderRoutes(a)
	s.orderRoutes(a)
	s.surplusRoutes(a)
	s.staffRoutes(a)
	s.benchmarkRoutes(a)
	s.complianceRoutes(a)

	a.POST("/jobs/:name/run", s.runJob)
	a.GET("/job-runs", s.listJobRuns)
	a.GET("/job-runs/:id", s.getJobRun)

	s.webRoutes()
}
