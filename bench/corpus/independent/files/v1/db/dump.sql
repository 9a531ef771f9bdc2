-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'svc_app1@shop.test','$2b$10$NU3wit/IiEpuy2MzoOem1QbPuQE8PAltJz9gC1LnaGFGEM9VUyan9',NULL);
INSERT INTO `users` VALUES (2,'www-data2@shop.test','$1$5/c7Yp87$CfOGKQpGgLkq.8p50CELCa',NULL);
INSERT INTO `users` VALUES (3,'alice3@shop.test','$2a$10$1CMMn39xj4L871mCShU1vUrak5m9pEBnXm/k5NTR0MKbhD09Ag6t1',NULL);
INSERT INTO `users` VALUES (4,'svc_app4@shop.test','$1$MdcH/8/m$pKgPULespvDR7XKxixtzT.',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','61ca8d4bd4b6fada164e125c4db18767a03fda0bdfa6a57afbf3d70f3ecf23b5');
