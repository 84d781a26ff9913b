from field_demo import main

raise SystemExit(main())
