console.log("orchestrator")
